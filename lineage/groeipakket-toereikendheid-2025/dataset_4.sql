-- D3 stap 5: IT removes the INSZ and the CGPA code and keeps one row per family: the
-- contact file for the researchers (D3 stap 6). The INSZ serves only to join (dataset_3.sql).
SELECT
  d3.gezinscode AS gezinscode,
  MIN(d3.ua) AS ua,
  MIN(d3.stratum) AS stratum,
  MIN(d3.email) AS email
FROM dataset_3 AS d3
GROUP BY d3.gezinscode
