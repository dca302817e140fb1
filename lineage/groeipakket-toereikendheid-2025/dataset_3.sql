-- D3 stap 5: IT merges every payer's dataset_2 (dataset_1 plus the e-mail address) with
-- dataset_1, so that only families that were asked come back.
SELECT
  d2.gezinscode AS gezinscode,
  d2.ua AS ua,
  d2.stratum AS stratum,
  d2.insz AS insz,
  d2.cgpa_code AS cgpa_code,
  d2.email AS email
FROM dataset_2 AS d2
JOIN dataset_1 AS d1
  ON d1.gezinscode = d2.gezinscode AND d1.insz = d2.insz
