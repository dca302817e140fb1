-- D3 stap 5: IT merges every payer's dataset_2 (dataset_1 plus the e-mail address) back onto
-- its own sample, so that only families that were asked come back. The research gezinscode
-- (the keyed pseudonym of the DWH family key, art. 4) and the stratum come from the sample,
-- never from the payers' files.
SELECT
  keyed_pseudonym(s.gezin_sleutel, dwh_key()) AS gezinscode,
  s.ua AS ua,
  s.stratum AS stratum,
  d2.insz AS insz,
  d2.cgpa_code AS cgpa_code,
  d2.email AS email
FROM dataset_2 AS d2
JOIN dataset_1 AS d1
  ON d1.cgpa_code = d2.cgpa_code AND d1.insz = d2.insz
JOIN inkomensverstrekker AS p
  ON p.cgpa_code = d2.cgpa_code AND p.insz = d2.insz
JOIN steekproef AS s
  ON s.gezin_sleutel = p.gezin_sleutel
