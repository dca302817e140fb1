"""The catalogue: one Wording per code, its values (name -> kind) and its template in each
language, English and Dutch side by side (str.format syntax, naming only the code's values).

To reword a sentence, change its template here (the Dutch for the HTML and PDF proof, the
English for the JSON, the text output and the refusals: the golden proofs guard the English).
To add a sentence, add its code here and `say` it where it is found; tests/report/
test_messages.py fails when a code lacks a language, names a value it does not carry, or is
said nowhere. The kinds of values are listed in datacontract/messages/__init__.py.
"""

from __future__ import annotations

from datacontract.messages.catalogue_proof import PROOF
from datacontract.messages.wording import KINDS, LANGUAGES, Language, Wording
from datacontract.messages.wording import w as _w

# fmt: off
CATALOGUE: dict[str, Wording] = {
    # --- citing events (the words around an Events value) ----------------------------------
    "event.one": _w("seq:seq", "event {seq}", "gebeurtenis {seq}"),
    "event.two": _w("first:seq second:seq", "events {first} and {second}",
                    "gebeurtenissen {first} en {second}"),
    "event.and": _w("first:word second:word", "{first} and {second}", "{first} en {second}"),
    # a refusal names the events it would add in words (flow/record.py)
    "event.this": _w("what:word", "this {what}", "deze {what}"),
    "event.arrival": _w("", "the arrival of this transfer", "de ontvangst van deze verzending"),
    # a refusal cites an earlier event of the ledger by its kind and time, not only its number
    "event.dated": _w("seq:seq what:word time:time", "event {seq} ({what} at {time})",
                      "gebeurtenis {seq} ({what} op {time})"),
    "what.sent": _w("", "transfer", "verzending"),
    "what.received": _w("", "receipt", "ontvangst"),
    "what.destroyed": _w("", "destruction", "vernietiging"),
    "what.made": _w("", "making", "aanmaak"),
    "what.event": _w("", "event", "gebeurtenis"),
    # --- small words -----------------------------------------------------------------------
    "verb.sent": _w("", "sent", "verstuurd"),
    "verb.received": _w("", "received", "ontvangen"),
    "role.sender": _w("", "sender", "afzender"),
    "role.receiver": _w("", "receiver", "ontvanger"),
    "role.party": _w("", "party", "partij"),
    # --- the invariants over the ledger (flow/invariants.py) -------------------------------
    "held_together": _w(
        "party:name first:name second:name since:events until:part",
        "{party} held {first} and {second} at the same time from {since} on{until}",
        "{party} had {first} en {second} tegelijk in bezit vanaf {since}{until}"),
    "held_together.until": _w("event:events", " until {event}", " tot {event}"),
    "before_milestone": _w(
        "verb:word hop:hop milestone:name by:part",
        "{verb} on {hop} before the milestone {milestone}{by}",
        "{verb} in {hop} vóór de mijlpaal {milestone}{by}"),
    "before_milestone.by": _w("party:name", " recorded by {party}",
                              " (vastgelegd door {party})"),
    "after_milestone": _w(
        "verb:word hop:hop event:events milestone:name reached:events",
        "{verb} on {hop} ({event}) after the milestone {milestone} ({reached})",
        "{verb} in {hop} ({event}) na de mijlpaal {milestone} ({reached})"),
    "while_still_held": _w(
        "party:name verb:word dataset:name hop:hop event:events held:name since:events",
        "{party} {verb} {dataset} on {hop} ({event}) while it still held {held} "
        "(since {since}, not destroyed before)",
        "{party} heeft {dataset} {verb} in {hop} ({event}) terwijl {party} {held} nog in bezit "
        "had (sinds {since}, niet eerder vernietigd)"),
    "after_hop": _w(
        "verb:word hop:hop event:events after:hop first:events",
        "{verb} on {hop} ({event}) after {after} ({first})",
        "{verb} in {hop} ({event}) na {after} ({first})"),
    "held": _w("party:name dataset:name since:events", "{party} held {dataset} from {since}",
               "{party} had {dataset} in bezit vanaf {since}"),
    "no_manifest": _w(
        "hop:hop event:events",
        "the file received on {hop} ({event}) matches no manifest sent before it: its hash, "
        "hop, dataset, sender or receiver differ",
        "het bestand dat in {hop} ontvangen werd ({event}), komt met geen enkel eerder verstuurd "
        "manifest overeen: hashcode, stap, dataset, afzender of ontvanger verschillen"),
    "recorded_violation": _w(
        "event:events broken:parts", "{event} was recorded although it breaks: {broken}",
        "vastgelegd als {event}, ondanks een schending van het contract: {broken}"),
    "recorded_violation.rule": _w("rule:name article:name", "{rule} ({article})",
                                  "{rule} ({article})"),
    "undeclared": _w("event:events problems:parts", "{event}: {problems}", "{event}: {problems}"),
    # an undeclared name is never shown (contract/names.py: only what the contract declares
    # is printed); the event is cited, so an auditor finds it in the ledger
    "undeclared.party": _w("role:word", "its {role} is not a party of the contract (name withheld)",
                           "haar {role} is geen partij van het contract (naam niet getoond)"),
    "undeclared.dataset": _w("", "its dataset is not declared (name withheld)",
                             "haar dataset staat niet in het contract (naam niet getoond)"),
    "undeclared.milestone": _w("", "its milestone is not declared (name withheld)",
                               "haar mijlpaal staat niet in het contract (naam niet getoond)"),
    "undeclared.hop": _w("", "its hop is not declared (name withheld)",
                         "haar stap staat niet in het contract (naam niet getoond)"),
    # a name an event carries that the contract does not declare, said in its place
    # (contract/names.py LedgerNames): never the name itself
    "withheld.party": _w("", "a party not in the contract", "partij niet in het contract"),
    "withheld.dataset": _w("", "a dataset not in the contract", "dataset niet in het contract"),
    "withheld.hop": _w("", "a hop not in the contract", "stap niet in het contract"),
    "withheld.milestone": _w("", "a milestone not in the contract",
                             "mijlpaal niet in het contract"),
    "undeclared.carries": _w("hop:hop declared:name dataset:name",
                             "{hop} carries {declared}, not {dataset}",
                             "in {hop} verstuurt men volgens het contract {declared}, niet "
                             "{dataset}"),
    "undeclared.sender": _w("party:name hop:hop", "{party} does not send on {hop}",
                            "volgens het contract verstuurt {party} niets in {hop}"),
    "undeclared.receiver": _w("party:name hop:hop", "{party} does not receive on {hop}",
                              "volgens het contract ontvangt {party} niets in {hop}"),
    "other_rows": _w(
        "sender:name dataset:name hop:hop event:events source_dataset:name source_hop:hop "
        "source:events",
        "{sender} sent {dataset} on {hop} ({event}) with other rows than the {source_dataset} "
        "it received on {source_hop} ({source}): families lost or added",
        "{sender} verstuurde {dataset} in {hop} ({event}) met andere rijen dan de "
        "{source_dataset} die {sender} in {source_hop} ontving ({source}): er zijn gezinnen "
        "weggevallen of bijgekomen"),
    "after_deadline": _w(
        "hop:hop who:name time:time deadline:time",
        "{hop} by {who} at {time}, after the deadline {deadline}",
        "{hop} door {who} op {time}, na het uiterste tijdstip {deadline}"),
    "before_start": _w(
        "hop:hop who:name time:time start:time",
        "{hop} by {who} at {time}, before the window opens at {start}",
        "{hop} door {who} op {time}, vóór het begin van de periode op {start}"),
    "sent_twice": _w(
        "dataset:name who:name hop:hop events:events",
        "{dataset} sent a second time for {who} on {hop} ({events})",
        "{dataset} een tweede keer verstuurd voor {who} in {hop} ({events})"),
    "not_preceded": _w("hop:hop event:events wanted:word", "{hop} at {event}, but {wanted}",
                       "{hop} ({event}), maar {wanted}"),
    "not_preceded.received": _w("receiver:name hops:hops",
                                "{receiver} received nothing on {hops} before",
                                "{receiver} ontving vooraf niets in {hops}"),
    "not_preceded.sent": _w("receiver:name sender:name hops:hops",
                            "{receiver} sent {sender} nothing on {hops} before",
                            "{receiver} verstuurde vooraf niets aan {sender} in {hops}"),
    "ledger_line": _w("line:number problem:word", "line {line}: {problem}",
                      "regel {line}: {problem}"),
    # --- destruction terms (flow/terms.py) -------------------------------------------------
    "still_held_late": _w(
        "party:name dataset:name since:events at:time term:word deadline:time",
        "{party} still holds {dataset} (since {since}) at {at}, later than {term} ({deadline})",
        "{party} heeft {dataset} (sinds {since}) op {at} nog in bezit, later dan {term}; "
        "uiterlijk te vernietigen op {deadline}"),
    "destroyed_late": _w(
        "party:name dataset:name event:events term:word deadline:time",
        "{party} destroyed {dataset} at {event}, later than {term} ({deadline})",
        "{party} vernietigde {dataset} pas bij {event}, later dan {term}; uiterlijk te "
        "vernietigen op {deadline}"),
    "term.after": _w("milestone:name days:number unrecorded:part",
                     "{milestone} + {days:day|days}{unrecorded}",
                     "{days:dag|dagen} na {milestone}{unrecorded}"),
    "term.after_span": _w("milestone:name term:word unrecorded:part",
                          "{milestone} + {term}{unrecorded}",
                          "{term} na {milestone}{unrecorded}"),
    "term.latest": _w("time:time unrecorded:part", "the latest time {time}{unrecorded}",
                      "het uiterste tijdstip {time}{unrecorded}"),
    "term.unrecorded": _w("milestone:name", " ({milestone} was not recorded)",
                          " (de mijlpaal {milestone} werd niet vastgelegd)"),
    "may_lapse": _w(
        "milestone:name fallbacks:part party:name datasets:names",
        "if {milestone}{fallbacks} are never recorded, nothing makes {party} destroy "
        "{datasets}: give the invariant a 'latest' time, or declare a retained_at_most term "
        "for them",
        "zonder vastgelegde mijlpaal {milestone}{fallbacks} verplicht niets {party} om "
        "{datasets} te vernietigen: de invariant heeft een uiterste tijdstip ('latest') nodig, "
        "of het contract een bewaartermijn ('retained_at_most') voor die datasets"),
    "may_lapse.fallbacks": _w("", " and its fallbacks", " (of een van de terugvalmijlpalen "
                                                        "ervan)"),
    "kept_too_long": _w(
        "party:name dataset:name at:time term:word since:word due:part",
        "{party} still holds {dataset} at {at}: kept longer than {term} {since}{due}",
        "{party} heeft {dataset} op {at} nog in bezit: langer bewaard dan {term} {since}{due}"),
    "destroyed_too_late": _w(
        "party:name dataset:name event:events term:word since:word due:part",
        "{party} destroyed {dataset} at {event}, more than {term} {since}{due}",
        "{party} vernietigde {dataset} pas bij {event}, meer dan {term} {since}{due}"),
    "term.years": _w("years:number", "{years:year|years}", "{years} jaar"),
    "term.days": _w("days:number", "{days:day|days}", "{days:dag|dagen}"),
    "term.months": _w("months:number", "{months:month|months}", "{months:maand|maanden}"),
    "term.weeks": _w("weeks:number", "{weeks:week|weeks}", "{weeks:week|weken}"),
    "term.both": _w("years:word days:word", "{years} and {days}", "{years} en {days}"),
    "since.reported": _w(
        "event:events", "from the date its file reports (recorded with {event})",
        "sinds de datum die het bestand vermeldt (vastgelegd bij {event})"),
    "since.got": _w("event:events time:time", "after it got it at {event} ({time})",
                    "sinds het in bezit kwam bij {event} ({time})"),
    "since.due": _w("time:time", " (due {time})", "; uiterlijk te vernietigen op {time}"),
    # --- the declared flow alone (flow/declared.py, flow/invariants.py) --------------------
    "declares_hop_to": _w(
        "hop:hop dataset:name party:name",
        "the contract declares {hop} that gives {dataset} to {party}",
        "volgens het contract bezorgt {hop} {dataset} aan {party}"),
    "declares_maker": _w("party:name dataset:name", "the contract says {party} makes {dataset}",
                         "volgens het contract maakt {party} {dataset} aan"),
    "may_bring_while_held": _w(
        "hop:hop dataset:name party:name held:names",
        "{hop} may bring {dataset} to {party} while it holds {held}: no invariant makes it "
        "wait for their destruction",
        "{hop} kan {dataset} bij {party} brengen terwijl {party} {held} nog in bezit heeft: "
        "geen invariant laat die stap wachten op de vernietiging ervan"),
    "may_bring_after": _w(
        "hop:hop dataset:name party:name after:hop",
        "{hop} may bring {dataset} to {party} after {after}: no invariant forbids it",
        "{hop} kan {dataset} bij {party} brengen na {after}: geen invariant verbiedt dat"),
    "meet_unguarded": _w(
        "contact:names background:names party:name",
        "declared hops bring contact data ({contact}) and background data ({background}) to "
        "{party}, and no never_held_together invariant keeps them apart",
        "stappen van het contract brengen contactgegevens ({contact}) en achtergrondgegevens "
        "({background}) samen bij {party}, en geen invariant van de soort 'never_held_together' "
        "scheidt ze"),
    # the title of the verdict above (the proof gives every title in the contract's Dutch)
    "meet_unguarded.title": _w(
        "", "The declared flow brings contact and background data together nowhere",
        "De gegevensstroom volgens het contract brengt contact- en achtergrondgegevens nergens "
        "samen"),
    # the declared SQL derivations (flow/sqllineage.py)
    "derivation.missing": _w("dataset:name", "no declared derivation {dataset}.sql",
                             "de afleiding {dataset}.sql ontbreekt in het contract"),
    "derivation.not_pseudonymised": _w(
        "dataset:name column:name leaf:name functions:word function:name",
        "{dataset}.{column} derives from {leaf} through {functions}, not through the keyed "
        "pseudonym {function}",
        "{dataset}.{column} wordt afgeleid uit {leaf} via {functions}, niet via de gesleutelde "
        "pseudonimisering {function}"),
    "derivation.functions": _w("names:names", "{names}", "{names}"),
    "derivation.no_function": _w("", "no function at all", "geen enkele functie"),
    "derivation.unclassified": _w(
        "dataset:name column:name",
        "{dataset}.{column}: income reaches it without a classification (no CASE into the "
        "contract's classes)",
        "{dataset}.{column}: het inkomen komt erin terecht zonder indeling in klassen (geen CASE "
        "naar de klassen van het contract)"),
    "derivation.no_labels": _w(
        "dataset:name column:name",
        "{dataset}.{column}: income is classified into a column that declares no class labels",
        "{dataset}.{column}: het inkomen wordt ingedeeld in een kolom waarvoor het contract geen "
        "klasselabels geeft"),
    "derivation.other_label": _w(
        "dataset:name column:name",
        "{dataset}.{column}: a branch of its CASE yields something other than a declared class "
        "label",
        "{dataset}.{column}: een tak van de CASE geeft iets anders dan een klasselabel van het "
        "contract"),
    # --- the ledger (ledger/chain.py, ledger/signing.py, ledger/checkpoint.py, audit.py) ---
    "line.cut": _w("line:number", "line {line} has no final newline: the last write was cut "
                   "short", "regel {line} eindigt niet op een regeleinde: de laatste "
                   "schrijfbewerking werd onderbroken"),
    "line.not_json": _w("line:number", "line {line} is not JSON", "regel {line} is geen JSON"),
    "line.not_event": _w(
        "line:number why:word", "line {line} is not a ledger event: {why}",
        "regel {line} is geen gebeurtenis van het grootboek ({why})"),
    # why a line is not an event (ledger/event.py); the names are the ledger's own keys
    "shape.not_object": _w("", "it is not a JSON object", "het is geen JSON-object"),
    "shape.lacks": _w("missing:names", "it lacks {missing}", "de volgende velden ontbreken: "
                                                             "{missing}"),
    "shape.unknown_field": _w(
        "count:number",
        "it holds {count:field|fields} an event does not have (not signed by anyone)",
        "het bevat {count:veld|velden} buiten de velden van een gebeurtenis (door niemand "
        "ondertekend)"),
    "shape.text": _w("field:name", "{field} must be a non-empty string",
                     "het veld '{field}' moet een niet-lege tekst zijn"),
    "shape.text_or_null": _w("field:name", "{field} must be a non-empty string or null",
                             "het veld '{field}' moet een niet-lege tekst of null zijn"),
    "shape.kind": _w("kinds:names", "kind must be one of {kinds}",
                     "het veld 'kind' moet een van de volgende waarden hebben: {kinds}"),
    "shape.must_name": _w("kind:name missing:names", "a {kind} event must name {missing}",
                          "een gebeurtenis van de soort '{kind}' moet de velden {missing} "
                          "invullen"),
    "shape.sent_party": _w("", "the party of a sent event is its sender",
                           "de partij van een verzending is haar afzender"),
    "shape.received_party": _w("", "the party of a received event is its receiver",
                               "de partij van een ontvangst is haar ontvanger"),
    "shape.sha256": _w("", "sha256 must be 64 lowercase hexadecimal digits or null",
                       "het veld 'sha256' moet 64 hexadecimale cijfers in kleine letters "
                       "bevatten, of null zijn"),
    "shape.rows": _w("", "rows must be a whole number, 0 or more, or null",
                     "het veld 'rows' moet een geheel getal zijn (0 of meer), of null"),
    "shape.violation": _w("", "violation must be true or false",
                          "het veld 'violation' moet true of false zijn"),
    "shape.findings": _w(
        "", "findings must be a list of objects with a rule and only an article, a count and a "
        "message",
        "het veld 'findings' moet een lijst van objecten zijn met een regel en enkel een "
        "artikel, een aantal en een boodschap"),
    "shape.keys": _w("", "keys must be 64 lowercase hexadecimal digits",
                     "het veld 'keys' moet 64 hexadecimale cijfers in kleine letters bevatten"),
    "shape.reference": _w("", "reference must be a date (YYYY-MM-DD)",
                          "het veld 'reference' moet een datum zijn (JJJJ-MM-DD)"),
    "shape.witness": _w("", "witness must be SEQ:HASH", "het veld 'witness' moet de vorm "
                                                        "'SEQ:HASH' hebben"),
    "shape.sig": _w("", "sig must be a base64 Ed25519 signature",
                    "het veld 'sig' moet een Ed25519-handtekening in base64 zijn"),
    "shape.seq": _w("", "seq must be a whole number, 1 or more",
                    "het veld 'seq' moet een geheel getal zijn (1 of meer)"),
    "shape.hashes": _w("", "prev and hash must be 64 lowercase hexadecimal digits",
                       "de velden 'prev' en 'hash' moeten 64 hexadecimale cijfers in kleine "
                       "letters bevatten"),
    "shape.time": _w("", "time must be an ISO 8601 time with an offset",
                     "het veld 'time' moet een ISO 8601-tijdstip met tijdzone zijn"),
    "line.edited": _w(
        "line:number seq:seq", "line {line} (seq {seq}) does not match its hash: edited",
        "regel {line} (volgnummer {seq}) komt niet overeen met de hashcode ervan: gewijzigd"),
    "line.not_canonical": _w(
        "line:number seq:seq", "line {line} (seq {seq}) is not in the ledger's canonical "
        "form: edited", "regel {line} (volgnummer {seq}) staat niet in de vaste schrijfwijze van "
                        "het grootboek: gewijzigd"),
    "line.not_first": _w(
        "line:number seq:seq", "line {line} (seq {seq}) is not a first event: events before "
        "it were removed", "regel {line} (volgnummer {seq}) is geen eerste gebeurtenis: "
        "gebeurtenissen ervoor werden verwijderd"),
    "line.not_following": _w(
        "line:number seq:seq previous:number",
        "line {line} (seq {seq}) does not follow line {previous}: an event was removed or "
        "moved, or line {previous} was edited and its hash recomputed",
        "regel {line} (volgnummer {seq}) volgt niet op regel {previous}: een gebeurtenis werd "
        "verwijderd of verplaatst, of regel {previous} werd gewijzigd en de hashcode ervan "
        "herberekend"),
    "line.bad_seq": _w("line:number seq:number expected:number",
                       "line {line} has seq {seq}, expected {expected}",
                       "regel {line} heeft volgnummer {seq}, waar {expected} verwacht werd"),
    "line.earlier": _w(
        "line:number seq:seq previous:number",
        "line {line} (seq {seq}) is earlier than the event before it (seq {previous})",
        "regel {line} (volgnummer {seq}) is vroeger gedateerd dan de gebeurtenis ervoor "
        "(volgnummer {previous})"),
    "sig.no_party": _w("seq:seq", "seq {seq} names no party, so no party signed it",
                       "gebeurtenis {seq} noemt geen partij, dus geen partij ondertekende ze"),
    "sig.unsigned": _w("seq:seq party:name", "seq {seq} is not signed (its party is {party})",
                       "gebeurtenis {seq} is niet ondertekend (haar partij is {party})"),
    "sig.unknown_key": _w(
        "seq:seq party:name", "seq {seq} names {party}, whose key is not in the keyring",
        "gebeurtenis {seq} noemt {party}, van wie de sleutel niet in de sleutelring zit"),
    # --- who may say what (flow/authority.py) --------------------------------------------
    "role.no_party": _w("event:events", "{event} names no party: no one may make it",
                        "geen partij genoemd in {event}: niemand mag zo'n gebeurtenis vastleggen"),
    "role.undeclared": _w("event:events what:word",
                          "{event} names a {what} the contract does not declare",
                          "{event}: de genoemde {what} staat niet in het contract"),
    "role.hop": _w("", "hop", "stap"),
    "role.dataset": _w("", "dataset", "dataset"),
    "role.milestone": _w("", "milestone", "mijlpaal"),
    "role.other_dataset": _w("event:events hop:hop",
                             "{event} names another dataset than {hop} carries",
                             "{event}: de genoemde dataset is een andere dan die {hop} "
                             "volgens het contract verstuurt"),
    "role.out": _w(
        "event:events party:name what:word allowed:names article:name",
        "{event}: {party} may not make {what}; the contract gives it to {allowed} ({article})",
        "{event}: {party} mag {what} niet vastleggen; het contract kent dat toe aan {allowed} "
        "({article})"),
    "role.what.sent": _w("hop:hop", "a send on {hop}", "een verzending in {hop}"),
    "role.what.received": _w("hop:hop", "a receipt on {hop}", "een ontvangst in {hop}"),
    "role.what.made": _w("dataset:name", "the making of {dataset}", "de aanmaak van {dataset}"),
    "role.what.destroyed": _w("dataset:name", "the destruction of {dataset}",
                              "de vernietiging van {dataset}"),
    "role.what.milestone": _w("milestone:name", "the milestone {milestone}",
                              "de mijlpaal {milestone}"),
    "role.replayed": _w(
        "event:events first:events",
        "{event} receives again the delivery {first} received: a delivery is received once",
        "{event}: opnieuw een ontvangst van de levering die al bij {first} ontvangen werd; een "
        "levering wordt maar één keer ontvangen"),
    "key.unsigned": _w(
        "party:name", "the contract binds {party} to its keys: its events must be signed with "
        "its key (--key)", "het contract bindt {party} aan haar sleutels: de gebeurtenissen van "
                           "{party} moeten met haar sleutel ondertekend zijn (--key)"),
    "key.not_party": _w(
        "party:name", "the key given is not one of {party}'s keys (the contract's or the "
        "keyring's): a party signs with its own key only",
        "de gegeven sleutel is geen sleutel van {party} (van het contract of de sleutelring): "
        "een partij ondertekent alleen met haar eigen sleutel"),
    "sig.unsigned_after": _w(
        "seq:seq first:seq", "seq {seq} is not signed, though the ledger's events are signed "
        "from event {first} on: a signed ledger takes only signed events",
        "gebeurtenis {seq} is niet ondertekend, terwijl de gebeurtenissen van het grootboek "
        "vanaf gebeurtenis {first} ondertekend zijn: een ondertekend grootboek aanvaardt alleen "
        "ondertekende gebeurtenissen"),
    "sig.forged": _w(
        "seq:seq party:name", "seq {seq}: the signature is not {party}'s: forged or altered",
        "gebeurtenis {seq}: de handtekening is niet die van {party}: vervalst of gewijzigd"),
    "witness": _w(
        "seq:seq witnessed:seq",
        "seq {seq} witnessed the ledger at seq {witnessed} (from the manifest at send), and "
        "the ledger no longer holds that event: the history before it was rewritten",
        "gebeurtenis {seq} verwijst naar de toestand van het grootboek bij gebeurtenis "
        "{witnessed} (uit het manifest bij de verzending), en het grootboek bevat die "
        "gebeurtenis niet meer: de geschiedenis ervoor werd herschreven"),
    "checkpoint.unsigned": _w(
        "checkpoint:name", "checkpoint {checkpoint}: no signature on it verifies against the "
        "keyring", "controlepunt {checkpoint}: geen enkele handtekening erop is geldig volgens "
                   "de sleutelring"),
    "checkpoint.other_ledger": _w(
        "checkpoint:name origin:name", "checkpoint {checkpoint} is of another ledger ({origin})",
        "controlepunt {checkpoint} hoort bij een ander grootboek ({origin})"),
    "checkpoint.emptied": _w(
        "checkpoint:name size:number",
        "checkpoint {checkpoint} names {size:event|events}, and the ledger holds none",
        "controlepunt {checkpoint} omvat {size:gebeurtenis|gebeurtenissen}, maar het grootboek "
        "bevat er geen"),
    "checkpoint.cut": _w(
        "checkpoint:name size:number left:number",
        "checkpoint {checkpoint} names {size:event|events}, the ledger holds only {left}: "
        "events are missing",
        "controlepunt {checkpoint} omvat {size:gebeurtenis|gebeurtenissen}, maar het grootboek "
        "telt er maar {left}: er ontbreken gebeurtenissen"),
    "checkpoint.rewritten": _w(
        "checkpoint:name seq:seq",
        "checkpoint {checkpoint}: event {seq} is not the one the checkpoint names: the ledger "
        "was rewritten (and rehashed) up to it",
        "controlepunt {checkpoint}: gebeurtenis {seq} is niet die van het controlepunt: het "
        "grootboek werd tot daar herschreven (en opnieuw gehasht)"),
    # a recorded finding's text is the event writer's: shown only when the contract declares it
    "withheld.rule": _w("", "a rule not in the contract", "regel niet in het contract"),
    "withheld.article": _w("", "an article not the rule's", "artikel niet dat van de regel"),
    "withheld.version": _w("", "a version not the contract's", "versie niet die van het contract"),
    "version.other": _w(
        "event:events",
        "{event} names a contract version that is not the contract's (version withheld)",
        "{event} noemt een contractversie die niet die van het contract is (versie niet getoond)"),
}
# fmt: on
CATALOGUE.update(PROOF)  # the proof's own words (catalogue_proof.py)

__all__ = ["CATALOGUE", "KINDS", "LANGUAGES", "Language", "Wording"]
