"""The proof's own words in the catalogue: the strength of its verdict, the evidence it rests
on, the damage it found, and its scope and limits (flow/prover.py, report/proof_strength.py).
Merged into CATALOGUE (catalogue.py); the same rules hold: English and Dutch side by side,
each template naming exactly the code's values, every code said somewhere.
"""

from __future__ import annotations

from datacontract.messages.wording import Wording
from datacontract.messages.wording import w as _w

# fmt: off
PROOF: dict[str, Wording] = {
    # --- the proof's strength, evidence, and scope and limits (flow/prover.py, report/) ---
    "level.proven": _w("", "PROVED on signed and checkpointed evidence",
                       "Bewezen op ondertekende gebeurtenissen en een bevestigd controlepunt"),
    "level.proven_declared": _w("", "PROVED on the declared flow",
                                "Bewezen voor de gegevensstroom volgens het contract"),
    "level.holds": _w("weak:parts", "HOLDS, NOT PROVEN: {weak}",
                      "Geldt, maar is niet bewezen: {weak}"),
    "level.broken": _w("broken:number total:number",
                       "BROKEN: {broken} of the {total:invariant|invariants} do not hold",
                       "Geschonden: {broken} van de {total:invariant|invarianten}"),
    "level.not_judged": _w(
        "line:number damage:word",
        "NOT JUDGED: the ledger is damaged at line {line} ({damage})",
        "Niet te beoordelen: het grootboek is beschadigd op regel {line} ({damage})"),
    "weak.signatures_not_checked": _w(
        "", "signatures not checked against a keyring (unsigned evidence, not a proof)",
        "handtekeningen niet gecontroleerd met een sleutelring (geen bewijs)"),
    "weak.signatures_failed": _w("", "some events are not signed by their party",
                                 "niet elke gebeurtenis is ondertekend door haar partij"),
    "weak.no_checkpoint": _w("", "no checkpoint", "geen controlepunt"),
    "weak.checkpoint_inconsistent": _w("", "the ledger does not extend every checkpoint",
                                       "het grootboek bouwt niet voort op elk controlepunt"),
    "weak.repaired": _w("", "the ledger was repaired", "het grootboek werd hersteld"),
    "weak.damaged": _w("", "the ledger is damaged", "het grootboek is beschadigd"),
    "damage.removed": _w("", "an event was removed or moved",
                         "een gebeurtenis werd verwijderd of verplaatst"),
    "damage.edited": _w("", "an event was edited", "een gebeurtenis werd gewijzigd"),
    "damage.cut": _w("", "the end of the ledger was cut off",
                     "het einde van het grootboek werd afgeknipt"),
    "damage.rewritten": _w("", "its history was rewritten and rehashed",
                           "de geschiedenis werd herschreven en opnieuw gehasht"),
    "damage.out_of_order": _w("", "an event is dated before the event before it",
                              "een gebeurtenis is vroeger gedateerd dan de gebeurtenis ervoor"),
    "damage.forged": _w("", "an event's signature is not its party's",
                        "de handtekening van een gebeurtenis is niet die van haar partij"),
    "damage.unsigned": _w("", "an event is not signed by its party",
                          "een gebeurtenis is niet ondertekend door haar partij"),
    "evidence.verified": _w(
        "count:number keyring:name",
        "all {count:event|events} signed by their party, checked against the keyring "
        "(SHA-256 {keyring})",
        "elke gebeurtenis ondertekend door de eigen partij ({count:gebeurtenis|gebeurtenissen}), "
        "gecontroleerd met de sleutelring (SHA-256 {keyring})"),
    "evidence.failed": _w(
        "bad:number count:number keyring:name",
        "{bad} of the {count:event|events} not signed by their party (keyring SHA-256 "
        "{keyring})",
        "{bad} van de {count:gebeurtenis|gebeurtenissen} niet ondertekend door de eigen partij "
        "(sleutelring SHA-256 {keyring})"),
    "evidence.not_checked": _w(
        "signed:number count:number",
        "not checked, no keyring given ({signed} of the {count:event|events} carry one)",
        "niet gecontroleerd: er werd geen sleutelring opgegeven (ondertekend: {signed} van de "
        "{count:gebeurtenis|gebeurtenissen})"),
    "evidence.checkpoint_consistent": _w(
        "covered:number count:number",
        "the ledger extends every checkpoint given (the latest covers {covered} of "
        "the {count:event|events})",
        "het grootboek bouwt voort op elk opgegeven controlepunt (het laatste omvat {covered} "
        "van de {count:gebeurtenis|gebeurtenissen})"),
    "evidence.checkpoint_inconsistent": _w(
        "", "the ledger does not extend every checkpoint given",
        "het grootboek bouwt niet voort op elk opgegeven controlepunt"),
    "evidence.checkpoint_absent": _w(
        "", "none given, so a cut end or a rewritten and rehashed ledger goes unseen",
        "geen controlepunt opgegeven, zodat een afgeknipt einde of een herschreven en opnieuw "
        "gehasht grootboek onopgemerkt blijft"),
    "evidence.no_repair": _w("", "none recorded",
                             "geen herstelling vastgelegd"),
    "evidence.repairs": _w("count:number", "{count:repair|repairs} recorded beside the ledger",
                           "{count:herstelling|herstellingen} vastgelegd naast het grootboek"),
    "scope.self_recorded": _w(
        "signed:part",
        "The ledger holds what the parties recorded themselves. It shows that the recorded "
        "events are complete and unchanged{signed}; it cannot show that every transfer, copy "
        "or destruction that took place was recorded, nor that a destroyed file is really gone.",
        "Het grootboek bevat wat de partijen zelf vastlegden. Het toont dat de vastgelegde "
        "gebeurtenissen volledig en ongewijzigd zijn{signed}; het kan niet tonen dat elke "
        "verzending, kopie of vernietiging die plaatsvond ook vastgelegd werd, noch dat een "
        "vernietigd bestand werkelijk weg is."),
    "scope.signed": _w("", ", and who signed each", ", en wie elk ervan ondertekende"),
    "scope.declared": _w(
        "", "Without a ledger the proof is about the declared flow only: what the contract "
        "allows, not what took place.",
        "Zonder grootboek gaat het bewijs enkel over de gegevensstroom volgens het contract: wat "
        "het contract toelaat, niet wat er plaatsvond."),
    "scope.keyring": _w(
        "keyring:name",
        "The keyring (SHA-256 {keyring}) was given with the proof, not pinned by the contract: "
        "the proof shows that each event was signed with the key the keyring gives its party, "
        "not that those are the parties' own keys.",
        "De sleutelring (SHA-256 {keyring}) werd met het bewijs opgegeven en staat niet vast in "
        "het contract: het bewijs toont dat elke gebeurtenis ondertekend werd met de sleutel die "
        "de sleutelring aan haar partij geeft, niet dat dat de eigen sleutels van de partijen "
        "zijn."),
    "scope.no_keyring": _w(
        "", "No keyring was given: the signatures were not checked, so whoever can write to the "
        "ledger could have recorded any event in any party's name.",
        "Er werd geen sleutelring opgegeven: de handtekeningen werden niet gecontroleerd, dus "
        "wie in het grootboek kan schrijven, kon elke gebeurtenis op naam van elke partij "
        "vastleggen."),
    "scope.unsigned_one": _w("seq:seq", "Event {seq} carries no signature.",
                             "Gebeurtenis {seq} draagt geen handtekening."),
    "scope.unsigned_all": _w("", "No event carries a signature.",
                             "Geen enkele gebeurtenis draagt een handtekening."),
    "scope.unsigned_many": _w("count:number seqs:names",
                              "{count:event carries|events carry} no signature: {seqs}.",
                              "{count:gebeurtenis draagt|gebeurtenissen dragen} geen "
                              "handtekening: {seqs}."),
    "scope.uncovered": _w(
        "covered:number",
        "The events after event {covered} are under no checkpoint: a cut there goes unseen.",
        "De gebeurtenissen na gebeurtenis {covered} worden door geen enkel controlepunt gedekt: "
        "als ze afgeknipt worden, valt dat niet op."),
    "scope.vacuous": _w(
        "invariant:name what:names",
        "{invariant} holds only because the ledger records no event it looks at ({what}): "
        "nothing took place that could break it.",
        "{invariant} geldt enkel omdat het grootboek geen gebeurtenis bevat waarover ze gaat "
        "({what}): er gebeurde niets dat ze kon schenden."),
    "scope.empty": _w(
        "", "The ledger records no event: every invariant on events holds only because nothing "
        "took place.",
        "Het grootboek bevat geen enkele gebeurtenis: elke invariant over gebeurtenissen geldt "
        "enkel omdat er niets gebeurde."),
    "scope.interpretation": _w(
        "invariant:name note:name",
        "{invariant} rests on a reading that is not the protocol's own words: {note}",
        "{invariant} steunt op een lezing die niet letterlijk in het protocol staat "
        "(toelichting in het contract, in het Engels): {note}"),
    "scope.repair": _w(
        "time:time line:number size:number whole:part",
        "A repair at {time} cut line {line} ({size:byte|bytes}) off the ledger{whole}.",
        "Een herstelling op {time} knipte regel {line} ({size:byte|bytes}) van het grootboek "
        "af{whole}."),
    "scope.repair_whole": _w(
        "", ": the bytes cut were a whole event, which is no longer in the evidence",
        ": de afgeknipte bytes vormden een volledige gebeurtenis, die niet meer in het "
        "bewijsmateriaal zit"),
    "scope.repair_unreadable": _w(
        "", "A repair note beside the ledger cannot be read: what it cut is unknown.",
        "Een herstelnota naast het grootboek is onleesbaar: wat ze afknipte, is onbekend."),
    "scope.damage": _w(
        "line:number damage:word judged:number",
        "The ledger is damaged at line {line}: {damage}. The verdicts rest on the "
        "{judged:event|events} before it; an invariant that holds there is not judged, since "
        "events from the damage on may be missing or false.",
        "Het grootboek is beschadigd op regel {line}: {damage}. De oordelen steunen op de "
        "{judged:gebeurtenis|gebeurtenissen} ervoor; een invariant die daar geldt, is niet "
        "beoordeeld, want gebeurtenissen vanaf de beschadiging kunnen ontbreken of vals zijn."),
    # --- keys the contract pins (parties[].keys), the proof's own signature (issue 25) ---
    "evidence.verified_contract": _w(
        "count:number parties:names",
        "all {count:event|events} signed by their party, checked against the keys the "
        "contract pins (parties[].keys of {parties}; the contract's SHA-256 is on this proof)",
        "elke gebeurtenis ondertekend door de eigen partij ({count:gebeurtenis|gebeurtenissen}), "
        "gecontroleerd met de "
        "sleutels die het contract vastlegt (parties[].keys van {parties}; de SHA-256 van het "
        "contract staat op dit bewijs)"),
    "evidence.failed_contract": _w(
        "bad:number count:number parties:names",
        "{bad} of the {count:event|events} not signed by their party (keys the contract pins "
        "for {parties})",
        "{bad} van de {count:gebeurtenis|gebeurtenissen} niet ondertekend door de eigen partij "
        "(sleutels die "
        "het contract vastlegt voor {parties})"),
    "scope.contract_keys": _w(
        "parties:names",
        "The signatures were checked against the keys the contract binds to its parties "
        "(parties[].keys: {parties}), pinned by the contract's SHA-256: a key changed there "
        "makes another contract, with another hash. The proof shows that each event was signed "
        "with a key the contract gives its author, not that nobody else holds that key.",
        "De handtekeningen werden gecontroleerd met de sleutels die het contract aan zijn "
        "partijen bindt (parties[].keys: {parties}), vastgelegd door de SHA-256 van het "
        "contract: wie daar een sleutel wijzigt, maakt een ander contract, met een andere "
        "hash. Het bewijs toont dat elke gebeurtenis ondertekend werd met een sleutel die het "
        "contract aan haar auteur geeft, niet dat niemand anders die sleutel bezit."),
    "scope.keyless_parties": _w(
        "parties:names",
        "The contract binds no key to {parties}: no event of theirs can be verified, and none "
        "counts.",
        "Het contract bindt geen sleutel aan {parties}: geen enkele gebeurtenis van hen kan "
        "gecontroleerd worden, en geen enkele telt mee."),
}
# fmt: on
