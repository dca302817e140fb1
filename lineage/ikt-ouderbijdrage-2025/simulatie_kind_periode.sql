-- art. 4 and C3: IT links the Groeipakket data of the VUTG to the IKT usage of the child
-- (ikt_opvanggebruik: Opgroeien's own IKT dossiers, bijlage 2, not part of this protocol) and
-- pseudonymises before the simulation teams. The child's INSZ serves only to join; it reaches
-- the file only through the keyed pseudonym.
SELECT
  keyed_pseudonym(g.insz_kind, simulatie_key()) AS kind_pseudoniem,
  g.periode AS periode,
  g.gezinsinkomen AS gezinsinkomen,
  g.inkomensjaar AS inkomensjaar,
  g.inkomen_basis AS inkomen_basis,
  g.recht_sociale_toeslag AS recht_sociale_toeslag,
  g.aantal_kinderen AS aantal_kinderen,
  g.leeftijden_kinderen AS leeftijden_kinderen,
  g.leefloon_of_ivt AS leefloon_of_ivt
FROM gp_kind_periode AS g
JOIN ikt_opvanggebruik AS o
  ON o.insz_kind = g.insz_kind AND o.periode = g.periode
