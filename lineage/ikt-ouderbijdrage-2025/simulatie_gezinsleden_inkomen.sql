-- art. 4: the family members and the composition of their income, pseudonymised with the same
-- key as the child (so the two simulation files link) and a pseudonym per family member.
SELECT
  keyed_pseudonym(m.insz_kind, simulatie_key()) AS kind_pseudoniem,
  m.periode AS periode,
  keyed_pseudonym(m.insz_gezinslid, simulatie_key()) AS gezinslid_pseudoniem,
  m.inkomen_persoon AS inkomen_persoon,
  m.beroepskosten AS beroepskosten,
  m.ipcal_code AS ipcal_code,
  m.ipcal_bedrag AS ipcal_bedrag
FROM gp_gezinsleden_inkomen AS m
