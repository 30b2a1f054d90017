"""A synthetic qualitative demo: codebook, 30 invented interview transcripts and two coders' codings.

``write_demo_corpus(out_dir, seed=2017)`` writes into ``out_dir`` (normally
``data_raw/demo/qual/``, a subfolder that ``prepare`` passes over):

- ``kodbok.yml`` — the codebook of the recurring 4-Ess themes (DESIGN.md section 3);
- ``transkript/I01.txt`` … — one short transcript per interview of ``intervjuer.csv``, 6–12
  answer sentences in the voice of the interviewee's role, assembled from sentence templates
  written for this package (invented text: no sentence is taken from any report, no real person
  is named). Each file starts with the line ``[Syntetisk demointervju – påhittad text]``;
- ``kodningar.csv`` — codings by ``kodare_A`` and ``kodare_B`` (``;``-separated, UTF-8):
  interview_id, start, end (Unicode character offsets into the transcript, end exclusive),
  code_id, coder. kodare_A codes each templated sentence with the template's code(s), exactly
  on the sentence. kodare_B agrees most of the time but sometimes misses a segment, picks a
  neighbouring code, trims a span by a word or the final full stop, or codes an extra sentence.

The output is byte-identical for the same seed and interview list; the committed
``data_raw/demo/qual/`` is ``write_demo_corpus("data_raw/demo/qual", seed=2017)``.

The machinery is general: a :class:`CorpusSpec` holds a codebook, sentence templates, fillers,
role propensities and coder mix-ups, and :func:`write_corpus` writes any spec's corpus for any
interview list (the sister projects' corpora in :mod:`fouress_eval.demo.sister_corpus` use it);
:data:`FOURESS_CORPUS` is the 4-Ess spec that :func:`write_demo_corpus` writes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..io import read_interviews
from ..municipalities import municipality_name
from .codebook import codebook_from_entries, write_codebook

__all__ = ["write_demo_corpus", "write_corpus", "demo_codebook", "CorpusSpec", "FOURESS_CORPUS",
           "SYNTHETIC_MARK", "CODERS"]

SYNTHETIC_MARK = "[Syntetisk demointervju – påhittad text]"
CODERS = ("kodare_A", "kodare_B")
_HEADER = ("SYNTETISK DEMO – påhittad kodbok för fouress_eval, byggd kring de återkommande teman som\n"
           "4-Ess slutrapport nämner. Synthetic demo codebook; no text here comes from real interviews.\n"
           "Genererad av fouress_eval.qual.demo_corpus.write_demo_corpus.")

# ---------------------------------------------------------------------------------------------
# Codebook. Themes: fungerar (positive), fungerar_inte (negative), sammanhang (neutral context).
# ---------------------------------------------------------------------------------------------
_THEMES = [
    dict(id="fungerar", label_sv="Det som fungerar", label_en="What works", valence="positive",
         definition="Arbetssätt och förutsättningar som de intervjuade beskriver som hjälpsamma "
                    "för återgång i arbete."),
    dict(id="motesformen", parent="fungerar", label_sv="Mötesformen", label_en="The meeting format",
         definition="Hur uppföljningsmötena är organiserade: vem som kallar och när de hålls."),
    dict(id="fungerar_inte", label_sv="Det som inte fungerar", label_en="What does not work", valence="negative",
         definition="Hinder, brister och risker för arbetssättet."),
    dict(id="sammanhang", label_sv="Sammanhang", label_en="Context", valence="neutral",
         definition="Förutsättningar kring projektet som varken beskrivs som hjälp eller hinder."),
]
_CODES = [
    dict(id="tidigt_stod", parent="fungerar", label_sv="Tidigt stöd", label_en="Early support",
         definition="Stöd som sätts in tidigt i en sjukskrivning eller vid upprepad korttidsfrånvaro.",
         when_to_use="När den intervjuade beskriver att tidpunkten för stödet gjorde skillnad.",
         when_not_to_use="Allmänt om stöd utan koppling till tidpunkt; använd då en mer specifik kod.",
         example="Vi kom in innan sjukskrivningen hann bli lång."),
    dict(id="chef_sammankallar", parent="motesformen", label_sv="Chefen kallar och leder mötet",
         label_en="The manager convenes and leads the meeting",
         definition="Att närmaste chef kallar till och leder uppföljningsmötet.",
         when_to_use="När chefens roll som sammankallande eller mötesledare nämns.",
         when_not_to_use="Chefens roll i allmänhet, till exempel vid chefsbyten (använd chefsbyten).",
         example="Det är jag som chef som kallar till mötet."),
    dict(id="fasta_motestider", parent="motesformen", label_sv="Fasta mötestider på vårdcentralen",
         label_en="Fixed weekly meeting slots at the health centre",
         definition="Återkommande veckotider på vårdcentralen som är avsatta för uppföljningsmöten.",
         when_to_use="När fasta tider, snabb mötesbokning eller vårdcentralen som mötesplats nämns.",
         when_not_to_use="Ortsgruppens egna träffar (använd ortsgrupp_nav).",
         example="Det finns fasta tider varje vecka."),
    dict(id="ortsgrupp_nav", parent="fungerar", label_sv="Ortsgruppen som nav", label_en="The local group as hub",
         definition="Den lokala samverkansgruppen som samordnar parterna och löser upp ärenden som fastnat.",
         when_to_use="När ortsgruppen beskrivs som samordnande eller som en plats för att lära känna parterna.",
         when_not_to_use="Styrgruppens arbete.",
         example="Ortsgruppen är där alla trådar möts."),
    dict(id="samtycke_helhet", parent="fungerar", label_sv="Samtycke ger helhetsbilden",
         label_en="Consent lets the employer see the whole picture",
         definition="Den anställdas samtycke som gör att parterna kan dela information.",
         when_to_use="När samtycket beskrivs som en förutsättning för samlad information.",
         when_not_to_use="Sekretess i allmänhet utan koppling till samtycket.",
         example="Med samtycket ser arbetsgivaren hela bilden."),
    dict(id="deltid_i_stallet", parent="fungerar", label_sv="Deltid i stället för heltid",
         label_en="Part-time instead of full-time sick leave",
         definition="Deltidssjukskrivning i stället för hel sjukskrivning, med arbete på resten av tiden.",
         when_to_use="När deltid beskrivs som ett alternativ till att vara borta helt.",
         when_not_to_use="Deltidsanställning som inte har med sjukskrivning att göra.",
         example="Jag jobbade halvtid i stället för att vara hemma."),
    dict(id="chefsbyten", parent="fungerar_inte", label_sv="Chefsbyten", label_en="Manager turnover",
         definition="Att chefer byts ut så att kunskap om arbetssättet går förlorad.",
         when_to_use="När chefsbyten eller chefsomsättning nämns som problem.",
         when_not_to_use="Personalomsättning bland medarbetare.",
         example="Vi har haft många chefsbyten."),
    dict(id="svag_forankring", parent="fungerar_inte", label_sv="Svag förankring i hemorganisationerna",
         label_en="Weak anchoring in the home organisations",
         definition="Att arbetssättet inte är känt eller inarbetat i de deltagande organisationerna.",
         when_to_use="När arbetssättet beskrivs som beroende av enskilda personer eller okänt i linjen.",
         when_not_to_use="Brister i ett enskilt ärende.",
         example="Många vet inte att projektet finns."),
    dict(id="skav_mellan_parter", parent="fungerar_inte", label_sv="Skav mellan parterna",
         label_en="Friction between the parties",
         definition="Friktion, missförstånd eller olika förväntningar mellan arbetsgivare, vård och Försäkringskassan.",
         when_to_use="När parterna beskrivs som oeniga eller som att de drar åt olika håll.",
         when_not_to_use="Konflikter inom en arbetsgrupp.",
         example="Det har skavt om vem som ska göra vad."),
    dict(id="utbildningsblock", parent="sammanhang", label_sv="Utbildningsblock", label_en="Training blocks",
         definition="Projektets gemensamma utbildningsinsatser, uppdelade i block.",
         when_to_use="När utbildningarna eller deras upplägg nämns.",
         when_not_to_use="Yrkesutbildning som deltagaren har sedan tidigare.",
         example="Utbildningsdagarna gav oss ett gemensamt språk."),
    dict(id="jamstalldhet", parent="sammanhang", label_sv="Jämställdhetsprinciper",
         label_en="Gender-equality principles",
         definition="Jämställdhet som princip i projektet och skillnader mellan kvinnor och män.",
         when_to_use="När kön eller jämställdhet nämns i samband med arbetssättet.",
         when_not_to_use="Mångfald i allmänhet.",
         example="De flesta som deltar är kvinnor."),
]


def demo_codebook() -> pd.DataFrame:
    """The demo codebook as a codes table."""
    return FOURESS_CORPUS.codebook()


# ---------------------------------------------------------------------------------------------
# Sentence templates (invented for this package). Role keys: chef, med (participant), lak
# (doctor), fk (case officer), rehab, hr, sty (steering group); "*" = any role.
# ---------------------------------------------------------------------------------------------
_ROLE_KEY = {"manager": "chef", "participant": "med", "doctor": "lak", "case_officer": "fk",
             "rehab_coordinator": "rehab", "hr_strategist": "hr", "steering_group": "sty"}

_TEMPLATES: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = [
    # (codes, roles, sentence) – roles "*" for any
    (("tidigt_stod",), "*", "Det bästa var att vi kom in tidigt, innan sjukskrivningen hann bli lång."),
    (("tidigt_stod",), "*", "När stödet sätts in redan efter några veckor blir det mycket lättare att komma tillbaka."),
    (("tidigt_stod",), "med",
     "Jag fick hjälp redan första veckan jag var borta, och därför tappade jag aldrig kontakten med jobbet."),
    (("tidigt_stod",), "med",
     "Någon hörde av sig nästan direkt och frågade hur jag mådde och vad som kunde ändras på jobbet."),
    (("tidigt_stod",), "chef",
     "Nu ringer jag redan när jag märker att någon börjar bli borta ofta, i stället för att vänta."),
    (("tidigt_stod",), "lak", "Vi kan ta upp arbetssituationen vid första besöket i stället för efter flera månader."),
    (("tidigt_stod",), "rehab", "Ju tidigare vi får träffa personen, desto fler vägar tillbaka finns det kvar."),
    (("tidigt_stod",), "fk",
     "Vi kommer in i ett tidigare skede än vi brukar, och det märks på hur ärendena utvecklas."),
    (("chef_sammankallar",), "chef", "Det är jag som chef som kallar till mötet och håller i det, och det känns rätt."),
    (("chef_sammankallar",), "chef", "Inför mötet går jag igenom vad som faktiskt går att anpassa på arbetsplatsen."),
    (("chef_sammankallar",), "med",
     "Det var min chef som bjöd in till mötet, så jag förstod att arbetsgivaren tog det på allvar."),
    (("chef_sammankallar",), "hr",
     "När chefen leder mötet blir det tydligt att ansvaret för arbetsmiljön ligger hos arbetsgivaren."),
    (("chef_sammankallar",), "fk",
     "Chefen öppnar mötet och vi från Försäkringskassan kan vara ett stöd i stället för att styra."),
    (("chef_sammankallar",), "rehab",
     "Att chefen äger mötet gör att överenskommelserna följs upp på arbetsplatsen efteråt."),
    (("chef_sammankallar",), "sty", "Vi bestämde tidigt att det är chefen som ska kalla, inte vården."),
    (("fasta_motestider",), "*",
     "Det finns fasta tider varje vecka på vårdcentralen, så man behöver aldrig jaga en mötestid."),
    (("fasta_motestider",), "lak",
     "Jag vet att en eftermiddag i veckan är avsatt, och då kan jag planera in mötena direkt."),
    (("fasta_motestider",), "rehab",
     "Den fasta veckotiden gör att vi kan boka ett möte inom några dagar i stället för inom några veckor."),
    (("fasta_motestider",), "fk",
     "Eftersom tiderna ligger fast kan handläggaren vara med utan att flytta en massa andra möten."),
    (("fasta_motestider",), "chef",
     "Jag får en tid direkt när jag ringer vårdcentralen, och det sparar mycket tid för mig."),
    (("fasta_motestider",), "sty",
     "De fasta tiderna på vårdcentralen är nog det som är lättast att ta efter på andra håll."),
    (("ortsgrupp_nav",), "*", "Ortsgruppen har blivit den plats där alla trådar möts."),
    (("ortsgrupp_nav",), "rehab",
     "I ortsgruppen kan vi lyfta ett ärende som har fastnat och få det att röra sig igen."),
    (("ortsgrupp_nav",), "fk",
     "Vi träffas i ortsgruppen varannan vecka, och det är där vi lär oss hur de andra arbetar."),
    (("ortsgrupp_nav",), "hr", "Ortsgruppen fångar upp sådant som annars hade fallit mellan stolarna."),
    (("ortsgrupp_nav",), "sty", "Det är ortsgruppen som bär det praktiska arbetet, medan styrgruppen ger ramarna."),
    (("ortsgrupp_nav",), "lak",
     "Genom ortsgruppen vet jag vem jag ska ringa hos arbetsgivaren och på Försäkringskassan."),
    (("samtycke_helhet",), "med",
     "Jag skrev på ett samtycke, och sedan kunde alla prata med varandra utan att jag behövde "
     "berätta allt flera gånger."),
    (("samtycke_helhet",), "chef",
     "Med samtycket får jag veta vad som begränsar personen och kan anpassa arbetet efter det."),
    (("samtycke_helhet",), "hr",
     "Samtycket gör att arbetsgivaren ser hela bilden och inte bara ett intyg med några rader."),
    (("samtycke_helhet",), "fk", "När det finns ett samtycke kan vi dela det som behövs och slipper gissa."),
    (("samtycke_helhet",), "lak", "Samtycket gör att jag kan prata öppet med chefen om vad patienten klarar av."),
    (("samtycke_helhet",), "rehab",
     "Det första vi gör är att gå igenom samtycket, så att personen vet vad som delas och med vem."),
    (("deltid_i_stallet",), "lak",
     "Jag skriver oftare ut en deltidssjukskrivning nu, eftersom jag vet att arbetsplatsen kan ta emot."),
    (("deltid_i_stallet",), "med",
     "Jag jobbade halvtid i stället för att vara hemma helt, och det höll mig kvar i gemenskapen."),
    (("deltid_i_stallet",), "chef",
     "Vi har lärt oss att lösa deltid med andra arbetsuppgifter i stället för att personen är borta helt."),
    (("deltid_i_stallet",), "fk",
     "Fler av våra ärenden gäller sjukskrivning på deltid nu, och det ser vi som ett gott tecken."),
    (("deltid_i_stallet",), "rehab",
     "En del av tiden på jobbet är ofta bättre än ingen tid alls, det har både läkare och chefer sett."),
    (("chefsbyten",), "*",
     "Vi har haft många chefsbyten, och varje gång försvinner en del av kunskapen om arbetssättet."),
    (("chefsbyten",), "chef",
     "När jag började här visste jag ingenting om arbetssättet, eftersom min företrädare redan hade slutat."),
    (("chefsbyten",), "med", "Jag hann ha tre olika chefer under min sjukskrivning, och varje gång fick jag börja om."),
    (("chefsbyten",), "hr", "Omsättningen bland chefer gör att vi hela tiden måste introducera arbetssättet på nytt."),
    (("chefsbyten",), "sty", "Chefsomsättningen är den största risken för att arbetssättet inte lever kvar."),
    (("chefsbyten",), "rehab",
     "Ibland kommer en ny chef till mötet som inte vet hur det brukar gå till, och då tappar vi fart."),
    (("svag_forankring",), "sty",
     "Det har varit svårt att få in arbetssättet i de vanliga rutinerna hos de olika organisationerna."),
    (("svag_forankring",), "hr", "Många på förvaltningarna vet fortfarande inte att projektet finns."),
    (("svag_forankring",), "fk",
     "På vårt kontor är det bara några få som känner till arbetssättet, resten arbetar som förut."),
    (("svag_forankring",), "lak",
     "Bland kollegorna på vårdcentralen är det inte alla som vet hur man kopplar in ortsgruppen."),
    (("svag_forankring",), "chef", "Från ledningen har det varit tyst, så jag har fått driva det här ganska ensam."),
    (("svag_forankring",), "rehab",
     "Projektet hänger på några eldsjälar, och det oroar mig inför tiden efter projektet."),
    (("skav_mellan_parter",), "*", "Det har skavt mellan parterna ibland, framför allt om vem som ska göra vad."),
    (("skav_mellan_parter",), "fk",
     "Arbetsgivaren förväntade sig ibland beslut från oss som vi inte kunde lova på ett möte."),
    (("skav_mellan_parter",), "chef",
     "Jag har upplevt att vården och Försäkringskassan inte alltid har samma bild av vad personen klarar."),
    (("skav_mellan_parter",), "lak",
     "Det har blivit friktion när arbetsgivaren velat att jag ska skriva något annat i intyget."),
    (("skav_mellan_parter",), "rehab",
     "Det tog tid innan vi förstod varandras regelverk, och under tiden blev det en del missförstånd."),
    (("skav_mellan_parter",), "med",
     "På ett av mötena kändes det som att de andra pratade förbi varandra och förbi mig."),
    (("utbildningsblock",), "*", "Utbildningsdagarna gav oss ett gemensamt språk."),
    (("utbildningsblock",), "hr",
     "Vi har delat upp utbildningen i block, så att nya chefer kan hoppa in när det passar."),
    (("utbildningsblock",), "chef", "Utbildningsblocket om samtal vid återgång var det jag hade mest nytta av."),
    (("utbildningsblock",), "sty", "Utbildningarna har samlat alla parter i samma rum, vilket inte hade hänt annars."),
    (("utbildningsblock",), "fk",
     "Det var på utbildningen som vi första gången fick höra hur arbetsgivaren tänker om anpassning."),
    (("jamstalldhet",), "*", "De flesta som deltar är kvinnor, och det säger något om vilka yrken som sliter mest."),
    (("jamstalldhet",), "sty",
     "Vi har försökt ha ett jämställdhetsperspektiv i allt, eftersom de flesta som deltar är kvinnor."),
    (("jamstalldhet",), "hr",
     "Många av deltagarna arbetar i kvinnodominerade yrken, och det måste vi ta hänsyn till när vi jämför."),
    (("jamstalldhet",), "lak", "Vi har tittat på om kvinnor och män får samma erbjudande, och det ska de få."),
    (("jamstalldhet",), "rehab",
     "Jämställdhet har varit en princip i projektet, men i det enskilda ärendet är den svårare att se."),
    (("jamstalldhet",), "chef", "Vi har pratat om hur arbetet är fördelat mellan kvinnor och män i min grupp."),
    # two codes on one sentence
    (("chefsbyten", "svag_forankring"), "sty",
     "När chefen byts ut finns det ingen i organisationen som för arbetssättet vidare."),
    (("chefsbyten", "svag_forankring"), "hr", "Varje chefsbyte visar hur lite arbetssättet sitter i organisationen."),
    (("samtycke_helhet", "chef_sammankallar"), "chef",
     "Med samtycket på plats kan jag leda mötet med hela bilden framför mig."),
    (("tidigt_stod", "deltid_i_stallet"), "lak",
     "Tack vare att vi kom in tidigt räckte det ofta med en deltidssjukskrivning."),
    (("tidigt_stod", "deltid_i_stallet"), "rehab",
     "När vi ses tidigt går det oftare att behålla en del av arbetstiden."),
]

_FILLERS = {
    "chef": ["Jag har varit chef inom hemtjänsten i ungefär sex år.", "Min grupp består av ett trettiotal medarbetare.",
             "Det är mycket som ska hinnas med under en vecka.", "Jag har ett stort ansvar för budgeten också."],
    "med": ["Jag har arbetat som undersköterska i många år.", "Jag trivs med mina kollegor.",
            "Det var en tuff period för mig på flera sätt.", "Jag hade ont i ryggen länge innan jag sökte vård."],
    "lak": ["Jag är distriktsläkare och har arbetat på vårdcentralen i några år.",
            "Vi har många patienter med besvär i rörelseorganen.", "Tiden per patient är alltid knapp."],
    "fk": ["Jag arbetar som handläggare med sjukpenningärenden.", "Vi har ganska många ärenden var.",
           "Reglerna har ändrats flera gånger de senaste åren."],
    "rehab": ["Min tjänst som rehabkoordinator delas mellan två vårdcentraler.",
              "Jag har en bakgrund som arbetsterapeut.", "En stor del av min tid går åt till telefonsamtal."],
    "hr": ["Jag arbetar som HR-strateg med arbetsmiljöfrågor.", "Vi följer sjukfrånvaron varje månad.",
           "Jag stöttar cheferna i svåra personalärenden."],
    "sty": ["Jag har suttit i styrgruppen sedan starten.", "Styrgruppen träffas några gånger per termin.",
            "Min vanliga tjänst är inom förvaltningsledningen."],
}

# how likely each code is to come up in an interview with each role (relative weights)
_PROPENSITY = {
    "chef": {"chef_sammankallar": 4, "chefsbyten": 3, "samtycke_helhet": 2, "fasta_motestider": 2,
             "deltid_i_stallet": 2, "svag_forankring": 2, "skav_mellan_parter": 1, "utbildningsblock": 2,
             "tidigt_stod": 2, "jamstalldhet": 1, "ortsgrupp_nav": 1},
    "med": {"tidigt_stod": 4, "deltid_i_stallet": 3, "samtycke_helhet": 3, "chef_sammankallar": 2, "chefsbyten": 2,
            "skav_mellan_parter": 1, "fasta_motestider": 1, "ortsgrupp_nav": 1, "jamstalldhet": 1},
    "lak": {"fasta_motestider": 4, "deltid_i_stallet": 3, "tidigt_stod": 3, "samtycke_helhet": 2,
            "skav_mellan_parter": 2, "svag_forankring": 2, "ortsgrupp_nav": 1, "jamstalldhet": 1},
    "fk": {"samtycke_helhet": 3, "skav_mellan_parter": 3, "ortsgrupp_nav": 3, "fasta_motestider": 2, "tidigt_stod": 2,
           "chef_sammankallar": 2, "svag_forankring": 2, "deltid_i_stallet": 1, "utbildningsblock": 1,
           "jamstalldhet": 1},
    "rehab": {"ortsgrupp_nav": 4, "fasta_motestider": 3, "tidigt_stod": 3, "samtycke_helhet": 2,
              "skav_mellan_parter": 2, "chefsbyten": 2, "svag_forankring": 2, "deltid_i_stallet": 2,
              "chef_sammankallar": 1, "jamstalldhet": 1},
    "hr": {"utbildningsblock": 3, "svag_forankring": 3, "chefsbyten": 3, "jamstalldhet": 2, "chef_sammankallar": 2,
           "samtycke_helhet": 2, "ortsgrupp_nav": 2, "tidigt_stod": 1, "fasta_motestider": 1},
    "sty": {"svag_forankring": 4, "ortsgrupp_nav": 3, "chefsbyten": 3, "jamstalldhet": 3, "utbildningsblock": 2,
            "fasta_motestider": 2, "chef_sammankallar": 1, "tidigt_stod": 1, "skav_mellan_parter": 1},
}

# kodare_B's most likely mix-ups
_CONFUSED = {"chef_sammankallar": "fasta_motestider", "fasta_motestider": "chef_sammankallar",
             "ortsgrupp_nav": "fasta_motestider", "samtycke_helhet": "chef_sammankallar",
             "tidigt_stod": "deltid_i_stallet", "deltid_i_stallet": "tidigt_stod", "chefsbyten": "svag_forankring",
             "svag_forankring": "chefsbyten", "skav_mellan_parter": "svag_forankring",
             "utbildningsblock": "svag_forankring", "jamstalldhet": "utbildningsblock"}

_QUESTIONS = {
    "intro": "Intervjuare: Kan du börja med att berätta om din roll?",
    "positive": "Intervjuare: Vad i arbetssättet tycker du har fungerat bra?",
    "negative": "Intervjuare: Vad har varit svårt eller inte fungerat?",
    "neutral": "Intervjuare: Finns det något mer runt projektet som du vill ta upp?",
}


_ROLE_TITLES = {"manager": "Chef", "participant": "Medarbetare", "doctor": "Läkare", "case_officer": "Handläggare FK",
                "rehab_coordinator": "Rehabkoordinator", "hr_strategist": "HR-strateg", "steering_group": "Styrgrupp"}


@dataclass(frozen=True)
class CorpusSpec:
    """What a synthetic corpus is made of: codebook, sentence templates and how the coders behave.

    ``templates`` are ``(codes, role key or "*", sentence)``; ``role_key`` maps a role id of the
    interview list to the role keys used by ``templates``, ``fillers`` (uncoded background sentences)
    and ``propensity`` (relative weight of each code for that role; a template is only drawn when all
    its codes have a weight). ``confused`` is kodare_B's most likely mix-up per code and
    ``extra_codes`` the two codes kodare_B now and then puts on a background sentence. ``questions``
    holds the interviewer's question per block (``intro``, ``positive``, ``negative``, ``neutral``);
    a coded sentence goes to the block of its first code's valence (inherited from the themes).
    ``role_titles`` are the Swedish role names of the transcript heading; ``group_title`` (e.g.
    ``"Fokusgrupp"``) replaces the word "Intervju" in the heading of group interviews when given.
    ``code_from`` maps a code to the first date (``YYYY-MM-DD``) an interview can raise it (a
    pandemic theme not before 2020-03): earlier interviews draw no template with that code, and
    kodare_B does not mix another code up with it.
    """

    name: str
    header: str
    themes: tuple[dict, ...]
    codes: tuple[dict, ...]
    templates: tuple[tuple[tuple[str, ...], str, str], ...]
    fillers: dict[str, list[str]]
    propensity: dict[str, dict[str, float]]
    confused: dict[str, str]
    role_key: dict[str, str]
    role_titles: dict[str, str]
    questions: dict[str, str]
    extra_codes: tuple[str, str]
    group_title: str | None = None
    code_from: dict[str, str] = field(default_factory=dict)

    def available(self, code: str, date: object) -> bool:
        """Whether an interview held on ``date`` (missing: any date) can raise ``code``."""
        return code not in self.code_from or pd.isna(date) or pd.Timestamp(date) >= pd.Timestamp(self.code_from[code])

    def codebook(self) -> pd.DataFrame:
        """The codebook as a codes table."""
        entries = [{**t, "_kind": "theme"} for t in self.themes] + [{**c, "_kind": "code"} for c in self.codes]
        return codebook_from_entries(entries)

    def valence(self) -> dict[str, str]:
        """Code id → the valence of its nearest ancestor (or itself) that states one."""
        entries = {e["id"]: e for e in (*self.themes, *self.codes)}

        def resolve(key: str) -> str:
            entry = entries[key]
            if entry.get("valence"):
                return entry["valence"]
            return resolve(entry["parent"]) if entry.get("parent") else "neutral"
        return {c["id"]: resolve(c["id"]) for c in self.codes}


FOURESS_CORPUS = CorpusSpec(
    name="4-Ess kodbok (syntetisk demo)", header=_HEADER, themes=tuple(_THEMES), codes=tuple(_CODES),
    templates=tuple(_TEMPLATES), fillers=_FILLERS, propensity=_PROPENSITY, confused=_CONFUSED, role_key=_ROLE_KEY,
    role_titles=_ROLE_TITLES, questions=_QUESTIONS, extra_codes=("utbildningsblock", "svag_forankring"))


class _Draw:
    """Deterministic draws from ``random.Random(seed).random()`` only (stable across Python versions)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def uniform(self) -> float:
        return self._random.random()

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + min(int(self.uniform() * (high - low + 1)), high - low)

    def weighted(self, weights: list[float]) -> int:
        total = sum(weights)
        target, cumulative = self.uniform() * total, 0.0
        for i, w in enumerate(weights):
            cumulative += w
            if target < cumulative:
                return i
        return len(weights) - 1


def _plan(spec: CorpusSpec, role: str, draw: _Draw,
          date: object = None) -> tuple[list[str], list[tuple[tuple[str, ...], str]]]:
    """Filler sentences and coded (codes, sentence) pairs for one interview (held on ``date``)."""
    key = spec.role_key[role]
    propensity = spec.propensity[key]
    fillers = list(spec.fillers[key])
    n_fill = draw.integer(1, min(3, len(fillers)))
    chosen_fill = []
    for _ in range(n_fill):
        chosen_fill.append(fillers.pop(draw.integer(0, len(fillers) - 1)))
    pool = [(codes, text) for codes, roles, text in spec.templates if roles in ("*", key)
            and all(c in propensity and spec.available(c, date) for c in codes)]
    n_coded = min(draw.integer(5, 9), len(pool))
    chosen = []
    for _ in range(n_coded):
        weights = [sum(propensity[c] for c in codes) / len(codes) for codes, _text in pool]
        chosen.append(pool.pop(draw.weighted(weights)))
    return chosen_fill, chosen


def _transcript(spec: CorpusSpec, row: pd.Series, draw: _Draw,
                valence: dict[str, str]) -> tuple[str, list[tuple[int, int, tuple[str, ...]]]]:
    """The transcript text and kodare_A's (start, end, codes) per coded sentence."""
    fill, coded = _plan(spec, row["role"], draw, row.get("date"))
    word = spec.group_title if spec.group_title and row.get("mode") == "group" else "Intervju"
    head = (f"{SYNTHETIC_MARK}\n{word} {row['interview_id']} – {spec.role_titles[row['role']]}, "
            f"{municipality_name(row['municipality_code'])}\n\n")
    text = head
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    blocks = [("intro", [((), s) for s in fill])]
    for block in ("positive", "negative", "neutral"):
        blocks.append((block, [(codes, s) for codes, s in coded if valence[codes[0]] == block]))
    for question, sentences in blocks:
        if not sentences:
            continue
        text += spec.questions[question] + "\n" + "Svar: "
        for i, (codes, sentence) in enumerate(sentences):
            if i:
                text += " "
            if codes:
                spans.append((len(text), len(text) + len(sentence), codes))
            text += sentence
        text += "\n\n"
    return text.rstrip("\n") + "\n", spans


def _coder_b(spec: CorpusSpec, text: str, spans: list[tuple[int, int, tuple[str, ...]]], draw: _Draw,
             date: object = None) -> list[tuple[int, int, str]]:
    """kodare_B's codings: mostly kodare_A's, with misses, mix-ups, trimmed spans and an extra now and then."""
    out = []
    for first, last, codes in spans:
        for code in codes:
            start, end = first, last
            u = draw.uniform()
            if u < 0.07:
                continue  # missed
            if u < 0.14:
                other = spec.confused.get(code, code)
                if other not in codes and spec.available(other, date):
                    code = other
            elif u < 0.19:
                first_space = text.find(" ", start, end)
                start = first_space + 1 if first_space > 0 else start  # starts one word later
            elif u < 0.23:
                end = end - 1  # leaves out the final full stop
            out.append((start, end, code))
    return out


def _extra_b(spec: CorpusSpec, fill_spans: list[tuple[int, int]], draw: _Draw) -> list[tuple[int, int, str]]:
    """Now and then kodare_B codes a background sentence that kodare_A left alone."""
    out = []
    for start, end in fill_spans:
        if draw.uniform() < 0.08:
            out.append((start, end, spec.extra_codes[0] if draw.uniform() < 0.5 else spec.extra_codes[1]))
    return out


def write_demo_corpus(out_dir: str | Path, seed: int = 2017, *, interviews_path: str | Path | None = None) -> Path:
    """Write the synthetic 4-Ess codebook, transcripts and codings into ``out_dir`` (see module docstring).

    ``interviews_path`` defaults to ``intervjuer.csv`` in the parent of ``out_dir`` (the demo
    folder). Returns ``out_dir``.
    """
    return write_corpus(out_dir, FOURESS_CORPUS, seed, interviews_path=interviews_path)


def write_corpus(out_dir: str | Path, spec: CorpusSpec, seed: int = 2017, *,
                 interviews_path: str | Path | None = None) -> Path:
    """Write the codebook, transcripts and two coders' codings of ``spec`` into ``out_dir``.

    One transcript per interview of ``interviews_path`` (default: ``intervjuer.csv`` in the parent
    of ``out_dir``); every role of that list must be a key of ``spec.role_key``. Byte-identical
    output for the same seed, spec and interview list. Returns ``out_dir``.
    """
    out = Path(out_dir)
    interviews_path = Path(interviews_path) if interviews_path is not None else out.parent / "intervjuer.csv"
    if not interviews_path.is_file():
        raise InputError("interview list not found", file=interviews_path,
                         expected="intervjuer.csv beside the qual folder (write the demo first)")
    interviews = read_interviews(interviews_path).sort_values("interview_id", kind="stable")
    unknown = sorted(set(interviews["role"]) - set(spec.role_key))
    if unknown:
        raise InputError("the corpus has no sentence templates for this role", file=interviews_path,
                         column="Roll", value=unknown[0], expected="one of " + ", ".join(spec.role_key))
    draw = _Draw(seed)
    valence = spec.valence()
    transcripts = out / "transkript"
    transcripts.mkdir(parents=True, exist_ok=True)
    write_codebook(spec.codebook(), out / "kodbok.yml", name=spec.name, header=spec.header)
    rows: list[tuple[str, int, int, str, str]] = []
    for _, row in interviews.iterrows():
        text, spans = _transcript(spec, row, draw, valence)
        with (transcripts / f"{row['interview_id']}.txt").open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        for start, end, codes in spans:
            rows.extend((row["interview_id"], start, end, code, CODERS[0]) for code in codes)
        b = _coder_b(spec, text, spans, draw, row.get("date"))
        coded = {(s, e) for s, e, _c in spans}
        fill_spans = [span for span in _sentence_spans_in_answers(text) if span not in coded]
        b += _extra_b(spec, fill_spans, draw)
        rows.extend((row["interview_id"], s, e, c, CODERS[1]) for s, e, c in b)
    rows.sort(key=lambda r: (r[0], r[1], r[4], r[3]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["interview_id", "start", "end", "code_id", "coder"])
    writer.writerows(rows)
    with (out / "kodningar.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    return out


def _sentence_spans_in_answers(text: str) -> list[tuple[int, int]]:
    """Sentence spans on the ``Svar:`` lines (the demo's own layout: sentences joined by one space)."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.startswith("Svar: "):
            position = offset + len("Svar: ")
            # sentences end with '.', '?' or '!' followed by a space
            body = line[len("Svar: "):]
            start = 0
            for i, ch in enumerate(body):
                if ch in ".?!" and (i + 1 == len(body) or body[i + 1] == " "):
                    spans.append((position + start, position + i + 1))
                    start = i + 2
        offset += len(line) + 1
    return spans
