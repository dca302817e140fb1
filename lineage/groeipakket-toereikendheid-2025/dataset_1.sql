-- D3 stap 2: IT Opgroeien regie draws dataset_1 for each payer from the sample of the
-- pseudonymised DWH. The family code is the keyed pseudonym of the DWH family key (art. 4:
-- the same key as the DWH code); the INSZ and CGPA code are what the payer needs to find the
-- family's contact data (D3 stap 3).
SELECT
  keyed_pseudonym(s.gezin_sleutel, dwh_key()) AS gezinscode,
  s.ua AS ua,
  s.stratum AS stratum,
  p.insz AS insz,
  p.cgpa_code AS cgpa_code
FROM steekproef AS s
JOIN inkomensverstrekker AS p
  ON p.gezin_sleutel = s.gezin_sleutel
