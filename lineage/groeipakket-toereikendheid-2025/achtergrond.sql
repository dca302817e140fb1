-- art. 6 and D3 stap 6: the background file, made by IT from the DWH. The family code is
-- the same keyed pseudonym as in dataset_4 (art. 4). Income leaves the DWH only as one of
-- the contract's classes (art. 3, variabelengroep 3: 'in klassen'); the bounds are the
-- Groeipakket income limits of september 2023 - augustus 2024 (a contract choice).
SELECT
  keyed_pseudonym(g.gezin_sleutel, dwh_key()) AS gezinscode,
  g.ua AS ua,
  g.aantal_kinderen AS aantal_kinderen,
  g.kinderen_0_5 AS kinderen_0_5,
  g.kinderen_6_11 AS kinderen_6_11,
  g.kinderen_12_17 AS kinderen_12_17,
  g.kinderen_18_24 AS kinderen_18_24,
  g.aantal_inkomensverstrekkers AS aantal_inkomensverstrekkers,
  g.gezinstype AS gezinstype,
  g.wezen AS wezen,
  g.sociale_toeslag AS sociale_toeslag,
  g.zorgtoeslag AS zorgtoeslag,
  g.schooltoeslag AS schooltoeslag,
  CASE
    WHEN g.inkomen_bruto_belastbaar IS NULL THEN NULL
    WHEN g.inkomen_bruto_belastbaar <= 0 THEN 'K0_geen'
    WHEN g.inkomen_bruto_belastbaar <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_bruto_belastbaar <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_bruto_belastbaar <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_bruto_belastbaar_klasse,
  CASE
    WHEN g.inkomen_aanslagbiljet IS NULL THEN NULL
    WHEN g.inkomen_aanslagbiljet <= 0 THEN 'K0_geen'
    WHEN g.inkomen_aanslagbiljet <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_aanslagbiljet <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_aanslagbiljet <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_aanslagbiljet_klasse,
  CASE
    WHEN g.inkomen_ki IS NULL THEN NULL
    WHEN g.inkomen_ki <= 0 THEN 'K0_geen'
    WHEN g.inkomen_ki <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_ki <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_ki <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_ki_klasse,
  CASE
    WHEN g.inkomen_ivt IS NULL THEN NULL
    WHEN g.inkomen_ivt <= 0 THEN 'K0_geen'
    WHEN g.inkomen_ivt <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_ivt <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_ivt <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_ivt_klasse,
  CASE
    WHEN g.inkomen_leefloon IS NULL THEN NULL
    WHEN g.inkomen_leefloon <= 0 THEN 'K0_geen'
    WHEN g.inkomen_leefloon <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_leefloon <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_leefloon <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_leefloon_klasse,
  CASE
    WHEN g.inkomen_buitenlands IS NULL THEN NULL
    WHEN g.inkomen_buitenlands <= 0 THEN 'K0_geen'
    WHEN g.inkomen_buitenlands <= 36325.76 THEN 'K1_tot_36325.76'
    WHEN g.inkomen_buitenlands <= 42380.06 THEN 'K2_tot_42380.06'
    WHEN g.inkomen_buitenlands <= 68329.61 THEN 'K3_tot_68329.61'
    ELSE 'K4_boven_68329.61'
  END AS inkomen_buitenlands_klasse,
  r.basisbedrag_n AS basisbedrag_n,
  r.leeftijdsbijslag_n AS leeftijdsbijslag_n,
  r.sociale_toeslag_n AS sociale_toeslag_n,
  r.zorgtoeslag_n AS zorgtoeslag_n,
  r.ondersteuningstoeslag_n AS ondersteuningstoeslag_n,
  r.schooltoeslag_n AS schooltoeslag_n,
  -- art. 3, variabelengroep 4: "+ type ...", one of the contract's classes per family
  r.basisbedrag_type AS basisbedrag_type,
  r.leeftijdsbijslag_type AS leeftijdsbijslag_type,
  r.sociale_toeslag_type AS sociale_toeslag_type,
  r.zorgtoeslag_type AS zorgtoeslag_type,
  r.schooltoeslag_type AS schooltoeslag_type
FROM dwh_gezin AS g
JOIN dwh_rechten_sep2024 AS r
  ON r.gezin_sleutel = g.gezin_sleutel
