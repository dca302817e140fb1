-- D3 stap 2: IT Opgroeien regie draws dataset_1 for each payer from the sample of the
-- pseudonymised DWH, turning the sample's families into what the payer's own dossier system
-- knows: the INSZ of each income provider and the payer's CGPA code (D3 stap 2; art. 6, second
-- bullet: a file with identification data). No research gezinscode and no stratum: the payer
-- must not hold the link between a national number and the researchers' pseudonym (D3 stap 5).
SELECT
  s.ua AS ua,
  p.insz AS insz,
  p.cgpa_code AS cgpa_code
FROM steekproef AS s
JOIN inkomensverstrekker AS p
  ON p.gezin_sleutel = s.gezin_sleutel
