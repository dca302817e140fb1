-- D3 stap 5: IT removes the INSZ and the CGPA code: the contact file for the researchers
-- (D3 stap 6). Every address of the family's providers stays (art. 3, variabelengroep 2: "de
-- begunstigden/inkomensverstrekkers: e-mailadres"; art. 4: "per gezinscode en INSZ de
-- mailadressen"): one row per family and address, never one address chosen per family. The
-- INSZ serves only to join (dataset_3.sql).
SELECT DISTINCT
  d3.gezinscode AS gezinscode,
  d3.ua AS ua,
  d3.stratum AS stratum,
  d3.email AS email
FROM dataset_3 AS d3
