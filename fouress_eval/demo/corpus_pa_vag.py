"""På väg – Skurup (project owner) and Svedala, 2019-05 … 2020-12: the synthetic interview corpus.

People aged 18–64 on social assistance because of illness, without any benefit ("nollplacerade");
a process evaluation. The interview list, codebook, sentence templates and coder settings of the
project, as plain data: :mod:`fouress_eval.demo.sister_corpus` assembles them into
``PA_VAG_CORPUS``. Every sentence was written for this package: invented text, no sentence taken
from any report or real interview, no person named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sister_corpus import Interview

SKURUP, SVEDALA = "1264", "1263"

INTERVIEWS: tuple[Interview, ...] = (
    ("P01", "social_worker", SKURUP, "2019-10-08", "individual"),
    ("P02", "social_worker", SVEDALA, "2019-10-10", "individual"),
    ("P03", "case_officer", SKURUP, "2019-10-15", "individual"),
    ("P04", "employment_officer", SVEDALA, "2019-10-17", "individual"),
    ("P05", "health_care", SKURUP, "2019-10-22", "individual"),
    ("P06", "participant", SKURUP, "2019-11-05", "individual"),
    ("P07", "steering_group", SKURUP, "2019-11-26", "group"),
    ("P08", "social_worker", SKURUP, "2020-09-15", "group"),
    ("P09", "case_officer", SVEDALA, "2020-09-17", "group"),
    ("P10", "employment_officer", SKURUP, "2020-10-06", "individual"),
    ("P11", "participant", SVEDALA, "2020-10-20", "individual"),
    ("P12", "health_care", SVEDALA, "2020-11-10", "individual"),
)

# codebook entries, expanded by sister_corpus: themes (id, label_sv, label_en, valence, definition) and
# codes (id, parent theme, label_sv, label_en, definition, when to use, when not to use, example)
THEMES = (
    ("fungerar", "Det som fungerar", "What works", "positive",
     "Arbetssätt och förutsättningar som de intervjuade beskriver som hjälpsamma för att klienten ska "
     "komma vidare mot arbete, studier eller rätt ersättning."),
    ("fungerar_inte", "Det som inte fungerar", "What does not work", "negative",
     "Hinder, brister och risker i arbetet med klienterna."),
    ("sammanhang", "Sammanhang", "Context", "neutral",
     "Förutsättningar kring projektet som varken beskrivs som hjälp eller hinder."),
)
CODES = (
    ("samverkan_myndigheter", "fungerar", "Samverkan mellan myndigheterna", "Collaboration between the agencies",
     "Att socialtjänsten, Försäkringskassan, Arbetsförmedlingen och hälso- och sjukvården arbetar "
     "tillsammans "
     "kring samma klient, till exempel i gemensamma ärendemöten.",
     "När gemensamma möten, kontaktvägar eller ett delat ansvar för klienten beskrivs.",
     "Samarbete inom en och samma myndighet.",
     "Vi sitter vid samma bord och pratar om samma person."),
    ("kartlaggning_arbetsformaga", "fungerar", "Kartläggning av arbetsförmåga", "Mapping of work capacity",
     "En strukturerad genomgång av klientens hälsa, förmågor och hinder som underlag för planeringen.",
     "När kartläggningen, dess frågor eller dess resultat beskrivs.",
     "Läkarens medicinska bedömning i ett intyg; när bedömningar krockar, använd skilda_bedomningar.",
     "Kartläggningen visade vad personen faktiskt klarar."),
    ("klientens_delaktighet", "fungerar", "Klientens delaktighet", "The client's participation",
     "Att klienten är med och påverkar sin egen planering och förstår vad som händer och varför.",
     "När klientens röst, val eller förståelse av processen nämns.",
     "Klientens hälsa eller livssituation i allmänhet (använd ohalsa_livssituation).",
     "Jag fick själv säga vad jag ville pröva."),
    ("klarlagd_forsorjning", "fungerar", "Klarlagd försörjning", "Clarified source of income",
     "Att det blir klart vilken ersättning eller vilket stöd klienten har rätt till, så att nollplaceringen "
     "upphör.",
     "När en ansökan, ett beslut eller en ny ersättning beskrivs som ett steg framåt.",
     "Regler som står i vägen (använd hinder_regelverk).",
     "Till slut blev det klart vem som ansvarar för hennes försörjning."),
    ("hinder_regelverk", "fungerar_inte", "Hinder i regelverket", "Obstacles in the rules",
     "Regler, sekretess och bedömningsgrunder hos myndigheterna som gör att klienten hamnar mellan stolarna.",
     "När regelverk, sekretess eller krav på underlag beskrivs som hinder.",
     "Brist på tid eller personal (använd tid_och_resurser).",
     "Reglerna säger att han inte passar in någonstans."),
    ("skilda_bedomningar", "fungerar_inte", "Skilda bedömningar", "Diverging assessments",
     "Att myndigheterna och vården gör olika bedömningar av klientens arbetsförmåga.",
     "När bedömningar, intyg eller utlåtanden krockar med varandra.",
     "Allmän oenighet om vem som gör vad (använd tid_och_resurser eller samverkan_myndigheter).",
     "Vården och Försäkringskassan såg helt olika saker i samma person."),
    ("tid_och_resurser", "fungerar_inte", "Tid och resurser", "Time and resources",
     "Brist på tid, personalomsättning och många ärenden per handläggare.",
     "När arbetsbelastning, byten av handläggare, omorganisationer eller väntetider nämns.",
     "Regler som hinder (använd hinder_regelverk).",
     "Vi har för många ärenden för att hinna träffas ofta."),
    ("pandemins_paverkan", "sammanhang", "Pandemins påverkan", "Impact of the pandemic",
     "Hur covid-19 från våren 2020 påverkade möten, insatser och klienternas situation.",
     "När pandemin, distansmöten eller inställda insatser nämns.",
     "Annan ohälsa hos klienten (använd ohalsa_livssituation).",
     "När pandemin kom ställdes praktikplatserna in."),
    ("ohalsa_livssituation", "sammanhang", "Ohälsa och livssituation", "Ill health and life situation",
     "Klientens hälsa, ekonomi och livssituation som bakgrund till att vägen mot arbete är lång.",
     "När ohälsa, ekonomisk stress, boende eller familjesituation beskrivs som sammanhang.",
     "Klientens delaktighet i planeringen (använd klientens_delaktighet).",
     "Många har varit utan arbete i flera år och mår dåligt."),
)

# role keys: soc (social worker), fk (Försäkringskassan), af (Arbetsförmedlingen), vard (Region
# Skåne health care), klient (participant), sty (steering group); "*" = any role
TEMPLATES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("samverkan_myndigheter",), "*",
     "Det största som har hänt är att vi nu sitter vid samma bord och pratar om samma person."),
    (("samverkan_myndigheter",), "soc",
     "Förut skickade vi brev till Försäkringskassan och väntade, nu ringer jag handläggaren direkt."),
    (("samverkan_myndigheter",), "fk",
     "De gemensamma träffarna gör att jag förstår vad socialtjänsten redan vet om personen."),
    (("samverkan_myndigheter",), "af",
     "Vi har fått ett ansikte på varandra, och det gör det lättare att lyfta luren."),
    (("samverkan_myndigheter",), "vard",
     "Det är första gången jag blir inbjuden till ett möte där alla myndigheter är med samtidigt."),
    (("samverkan_myndigheter",), "klient",
     "Det kändes bra att alla var med på samma möte, så att jag slapp berätta samma sak för alla."),
    (("samverkan_myndigheter",), "sty",
     "Avtalet gav ramarna, men det är i de gemensamma ärendemötena som samverkan blir verklig."),
    (("kartlaggning_arbetsformaga",), "*",
     "Kartläggningen gav oss en gemensam bild av vad personen faktiskt klarar i dag."),
    (("kartlaggning_arbetsformaga",), "soc",
     "Med kartläggningen i handen kunde jag äntligen förklara för de andra varför den gamla planen inte "
     "fungerade."),
    (("kartlaggning_arbetsformaga",), "fk",
     "Kartläggningen ger ett underlag som vi sällan har när en ansökan kommer in."),
    (("kartlaggning_arbetsformaga",), "af",
     "Efter kartläggningen visste vi vilka insatser som var rimliga att pröva först."),
    (("kartlaggning_arbetsformaga",), "vard",
     "Vi kunde bidra med hur hälsan påverkar arbetsförmågan, inte bara med en diagnos."),
    (("kartlaggning_arbetsformaga",), "klient",
     "Det var första gången någon frågade vad jag kan och inte bara vad jag inte kan."),
    (("klientens_delaktighet",), "*",
     "Personen är med och bestämmer nästa steg, och det märks på hur motiverad hen blir."),
    (("klientens_delaktighet",), "soc",
     "Vi läser igenom planen tillsammans med klienten innan den skickas vidare."),
    (("klientens_delaktighet",), "klient",
     "Jag fick själv säga vad jag ville pröva, och det hade ingen frågat förut."),
    (("klientens_delaktighet",), "klient",
     "Min handläggare förklarade varje steg, så jag visste varför vi gjorde som vi gjorde."),
    (("klientens_delaktighet",), "af",
     "När klienten själv har valt aktiviteten kommer hen också dit."),
    (("klientens_delaktighet",), "vard",
     "Det gör skillnad när patienten förstår varför ett intyg behövs och vad det ska användas till."),
    (("klientens_delaktighet",), "sty",
     "Vi har försökt låta klienternas erfarenheter forma hur metoden ser ut."),
    (("klarlagd_forsorjning",), "*",
     "För flera av dem blev det till slut klart vilken ersättning de har rätt till."),
    (("klarlagd_forsorjning",), "soc",
     "När en klient får rätt ersättning från rätt håll kan vi avsluta ett ärende som har legat i flera år."),
    (("klarlagd_forsorjning",), "fk",
     "Ibland visar det sig att personen har rätt till ersättning från oss, och då blir ansökan mycket bättre "
     "underbyggd."),
    (("klarlagd_forsorjning",), "af",
     "Några har kunnat skrivas in hos oss och få aktivitetsstöd i stället för försörjningsstöd."),
    (("klarlagd_forsorjning",), "klient",
     "Jag har fått ett beslut nu, och det är skönt att veta vad jag ska leva på."),
    (("klarlagd_forsorjning",), "sty",
     "Att klienterna går från försörjningsstöd till rätt ersättning är det mått som vi i styrgruppen följer "
     "tydligast."),
    (("hinder_regelverk",), "*",
     "Reglerna är skrivna för den som passar in hos en myndighet, inte för den som hamnar mellan flera."),
    (("hinder_regelverk",), "soc",
     "Sekretessen gör att vi ofta måste vänta på ett samtycke innan vi ens kan börja prata med varandra."),
    (("hinder_regelverk",), "fk",
     "Vi ska bedöma arbetsförmågan mot hela arbetsmarknaden, och det är svårt att förklara för både klienten och "
     "socialtjänsten."),
    (("hinder_regelverk",), "af",
     "Den som inte kan ta ett arbete i morgon har svårt att få plats i våra program."),
    (("hinder_regelverk",), "vard",
     "Intygen ska svara på frågor som är formulerade för en försäkring, inte för den som står långt från arbete."),
    (("hinder_regelverk",), "klient",
     "Jag förstod inte varför jag fick nej när alla sa att jag inte kunde jobba."),
    (("hinder_regelverk",), "sty",
     "Regelverken går inte att ändra lokalt, så vi får arbeta runt dem så gott det går."),
    (("skilda_bedomningar",), "*",
     "Vården och Försäkringskassan kan se helt olika saker i samma person."),
    (("skilda_bedomningar",), "soc",
     "Läkaren skriver att klienten inte kan arbeta, sedan kommer ett avslag, och då står vi där igen."),
    (("skilda_bedomningar",), "fk",
     "Underlagen från vården beskriver ofta diagnosen men inte vad personen klarar av i ett arbete."),
    (("skilda_bedomningar",), "af",
     "Vi bedömer att personen behöver mer tid, medan andra tycker att hen ska ut på praktik direkt."),
    (("skilda_bedomningar",), "vard",
     "Jag har skrivit samma sak i tre intyg, men bedömningen blir ändå en annan."),
    (("skilda_bedomningar",), "klient",
     "Alla hade olika uppfattning om vad jag klarar, och det gjorde mig osäker."),
    (("tid_och_resurser",), "*",
     "Vi har för många ärenden var för att hinna träffa klienterna så ofta som metoden kräver."),
    (("tid_och_resurser",), "soc",
     "Det har varit många byten bland socialsekreterarna, och varje byte betyder att klienten får börja om."),
    (("tid_och_resurser",), "fk",
     "Det är svårt att få tid till gemensamma möten när ärendemängden hela tiden växer."),
    (("tid_och_resurser",), "af",
     "Våra kontor har omorganiserats under projektets gång, och det har gjort kontakterna svårare."),
    (("tid_och_resurser",), "vard",
     "Vårdcentralen har svårt att frigöra tid till möten som inte är patientbesök."),
    (("tid_och_resurser",), "sty",
     "Projektet har i praktiken hängt på ett par personer, och det är sårbart."),
    (("pandemins_paverkan",), "*",
     "När pandemin kom våren 2020 ställdes nästan alla praktikplatser in."),
    (("pandemins_paverkan",), "soc",
     "Vi gick över till telefonmöten, och för en del klienter fungerade det bättre än vi trodde."),
    (("pandemins_paverkan",), "fk",
     "Under pandemin blev de gemensamma mötena digitala, och några klienter föll bort helt."),
    (("pandemins_paverkan",), "af",
     "Arbetsmarknaden stängde för många i målgruppen när pandemin slog till."),
    (("pandemins_paverkan",), "vard",
     "Vården fick prioritera om under pandemin, och det blev längre väntan på bedömningar."),
    (("pandemins_paverkan",), "klient",
     "Under pandemin satt jag mest hemma, och det som hade börjat röra sig stannade av."),
    (("pandemins_paverkan",), "sty",
     "Pandemin gjorde att vi fick skjuta fram flera delar av projektets tidsplan."),
    (("ohalsa_livssituation",), "*",
     "Många i målgruppen har varit utan arbete i flera år och har både kroppsliga och psykiska besvär."),
    (("ohalsa_livssituation",), "soc",
     "Ekonomin är ofta så pressad att det är svårt att tänka på arbete överhuvudtaget."),
    (("ohalsa_livssituation",), "vard",
     "Det är vanligt med flera diagnoser samtidigt, och då räcker det inte med en insats."),
    (("ohalsa_livssituation",), "klient",
     "Jag har haft ont länge och sover dåligt, så vissa dagar orkar jag inte mycket."),
    (("ohalsa_livssituation",), "klient",
     "Det är inte bara hälsan, det är boendet och ekonomin också."),
    (("ohalsa_livssituation",), "af",
     "Flera har aldrig haft ett arbete i Sverige och behöver mycket stöd innan de kan börja på en praktik."),
    # two codes on one sentence
    (("samverkan_myndigheter", "kartlaggning_arbetsformaga"), "soc",
     "När vi gör kartläggningen tillsammans slipper klienten berätta sin historia för varje myndighet."),
    (("hinder_regelverk", "skilda_bedomningar"), "fk",
     "Vi kommer fram till olika bedömningar eftersom våra regelverk frågar efter olika saker."),
    (("pandemins_paverkan", "tid_och_resurser"), "sty",
     "Pandemin kom samtidigt som flera nyckelpersoner slutade, och då tappade vi fart."),
    (("klientens_delaktighet", "kartlaggning_arbetsformaga"), "klient",
     "I kartläggningen fick jag berätta med egna ord vad jag tror att jag kan klara."),
)
FILLERS = {
    "soc": ["Jag arbetar som socialsekreterare med ekonomiskt bistånd.",
            "Många av mina klienter har haft försörjningsstöd i flera år.",
            "Vi är en liten enhet, så vi känner de flesta klienterna.",
            "Jag kom in i projektet efter ungefär ett halvår."],
    "fk": ["Jag är handläggare på Försäkringskassan och arbetar med sjukpenning.",
           "Jag har varit med i projektet sedan starten.",
           "Vi arbetar mot flera kommuner samtidigt."],
    "af": ["Jag arbetar som arbetsförmedlare med personer som står långt från arbetsmarknaden.",
           "Jag har arbetat på Arbetsförmedlingen i drygt tio år.",
           "Mitt kontor täcker flera kommuner."],
    "vard": ["Jag är arbetsterapeut på en vårdcentral.",
             "Vi har många patienter som också har kontakt med socialtjänsten.",
             "Jag träffar mest patienter med långvariga besvär."],
    "klient": ["Jag har inte arbetat på flera år.", "Jag bor ensam med två barn.",
               "Innan jag blev sjuk arbetade jag inom lokalvården.", "Jag har haft försörjningsstöd länge."],
    "sty": ["Jag sitter i styrgruppen som representant för min organisation.",
            "Styrgruppen träffas ungefär en gång i kvartalet.", "Jag är enhetschef i min vanliga tjänst."],
}
# the pandemic weighs heavily, but only in the interviews of autumn 2020 (``code_from`` below)
PROPENSITY = {
    "soc": {"samverkan_myndigheter": 4, "kartlaggning_arbetsformaga": 3, "klientens_delaktighet": 2,
            "klarlagd_forsorjning": 3, "hinder_regelverk": 3, "skilda_bedomningar": 3, "tid_och_resurser": 2,
            "pandemins_paverkan": 10, "ohalsa_livssituation": 2},
    "fk": {"samverkan_myndigheter": 3, "kartlaggning_arbetsformaga": 3, "klientens_delaktighet": 1,
           "klarlagd_forsorjning": 3, "hinder_regelverk": 4, "skilda_bedomningar": 3, "tid_och_resurser": 2,
           "pandemins_paverkan": 10},
    "af": {"samverkan_myndigheter": 3, "kartlaggning_arbetsformaga": 2, "klientens_delaktighet": 2,
           "klarlagd_forsorjning": 2, "hinder_regelverk": 3, "skilda_bedomningar": 2, "tid_och_resurser": 3,
           "pandemins_paverkan": 10, "ohalsa_livssituation": 2},
    "vard": {"samverkan_myndigheter": 3, "kartlaggning_arbetsformaga": 3, "klientens_delaktighet": 2,
             "hinder_regelverk": 2, "skilda_bedomningar": 4, "tid_och_resurser": 3, "pandemins_paverkan": 10,
             "ohalsa_livssituation": 3},
    "klient": {"samverkan_myndigheter": 2, "kartlaggning_arbetsformaga": 2, "klientens_delaktighet": 4,
               "klarlagd_forsorjning": 3, "hinder_regelverk": 2, "skilda_bedomningar": 2, "pandemins_paverkan": 10,
               "ohalsa_livssituation": 4},
    "sty": {"samverkan_myndigheter": 4, "kartlaggning_arbetsformaga": 1, "klientens_delaktighet": 1,
            "klarlagd_forsorjning": 3, "hinder_regelverk": 3, "tid_och_resurser": 3,
            "pandemins_paverkan": 10, "ohalsa_livssituation": 1},
}


NAME = "På väg kodbok (syntetisk demo)"
HEADER = ("SYNTETISK DEMO – påhittad kodbok för fouress_eval, med teman som passar en processutvärdering\n"
          "av På väg (Skurup och Svedala). Synthetic demo codebook; no text here comes from real interviews.\n")
CONFUSED = {"samverkan_myndigheter": "kartlaggning_arbetsformaga",
            "kartlaggning_arbetsformaga": "samverkan_myndigheter",
            "klientens_delaktighet": "kartlaggning_arbetsformaga", "klarlagd_forsorjning": "hinder_regelverk",
            "hinder_regelverk": "skilda_bedomningar", "skilda_bedomningar": "hinder_regelverk",
            "tid_och_resurser": "pandemins_paverkan", "pandemins_paverkan": "tid_och_resurser",
            "ohalsa_livssituation": "klientens_delaktighet"}
ROLE_KEY = {"social_worker": "soc", "case_officer": "fk", "employment_officer": "af", "health_care": "vard",
            "participant": "klient", "steering_group": "sty"}
ROLE_TITLES = {"social_worker": "Socialsekreterare", "case_officer": "Handläggare FK",
               "employment_officer": "Handläggare Arbetsförmedlingen", "health_care": "Hälso- och sjukvård",
               "participant": "Deltagare", "steering_group": "Styrgrupp"}
QUESTIONS = {"intro": "Intervjuare: Kan du börja med att berätta lite om dig själv och din del i projektet?",
             "positive": "Intervjuare: Vad har fungerat bra i arbetet med metoden?",
             "negative": "Intervjuare: Vad har varit svårt eller stått i vägen?",
             "neutral": "Intervjuare: Hur har omständigheterna runt projektet påverkat arbetet?"}
EXTRA_CODES = ("ohalsa_livssituation", "tid_och_resurser")
GROUP_TITLE = "Fokusgrupp"
CODE_FROM = {"pandemins_paverkan": "2020-03-01"}   # nobody talks of the pandemic in autumn 2019
