"""Omställning – Värmland, a service-design project in phases: the synthetic interview corpus.

Phases 1–2: 2018-02-15 … 2018-08-31, phase 3: 2018-09-01 … 2019-01-31, for highly educated
employees in school, health and care who struggle to return to their own work. The interview
list, codebook, sentence templates and coder settings of the project, as plain data:
:mod:`fouress_eval.demo.sister_corpus` assembles them into ``OMSTALLNING_CORPUS``. Every sentence
was written for this package: invented text, no sentence taken from any report or real
interview, no person named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sister_corpus import Interview

KARLSTAD, ARVIKA, KRISTINEHAMN = "1780", "1784", "1781"

INTERVIEWS: tuple[Interview, ...] = (
    ("O01", "participant", KARLSTAD, "2018-03-20", "individual"),
    ("O02", "participant", ARVIKA, "2018-03-27", "individual"),
    ("O03", "manager", KARLSTAD, "2018-04-10", "individual"),
    ("O04", "hr_strategist", KRISTINEHAMN, "2018-04-17", "individual"),
    ("O05", "occupational_health", KARLSTAD, "2018-05-15", "individual"),
    ("O06", "service_designer", KARLSTAD, "2018-09-25", "group"),
    ("O07", "participant", KRISTINEHAMN, "2018-10-09", "individual"),
    ("O08", "manager", ARVIKA, "2018-10-23", "individual"),
    ("O09", "steering_group", KARLSTAD, "2018-12-11", "group"),
    ("O10", "participant", KARLSTAD, "2019-01-22", "group"),
)

# codebook entries, expanded by sister_corpus: themes (id, label_sv, label_en, valence, definition) and
# codes (id, parent theme, label_sv, label_en, definition, when to use, when not to use, example)
THEMES = (
    ("bar", "Det som bär", "What helps", "positive",
     "Stöd och arbetssätt som de intervjuade beskriver som hjälpsamma på vägen tillbaka till arbete."),
    ("hindrar", "Det som hindrar", "What hinders", "negative",
     "Hinder och risker på vägen tillbaka till arbete."),
    ("sammanhang", "Sammanhang", "Context", "neutral",
     "Erfarenheter och förutsättningar som beskriver läget snarare än bedömer det."),
)
CODES = (
    ("tjanstedesign", "bar", "Tjänstedesign", "Service design",
     "Projektets arbetssätt att utgå från användarnas erfarenheter: intervjuer, workshoppar, prototyper och "
     "tester av nya tjänster.",
     "När metoden, workshopparna eller prototyperna nämns.",
     "Förändringsarbete i allmänhet utan användarnas medverkan.",
     "Vi fick pröva en prototyp innan den blev en tjänst."),
    ("chefens_stod", "bar", "Chefens stöd", "The manager's support",
     "Hur närmaste chef stöttar, håller kontakten och anpassar arbetet.",
     "När chefens kontakt, anpassningar eller bemötande beskrivs som stöd.",
     "Oklarhet om vem som ska agera (använd oklart_ansvar).",
     "Min chef höll kontakten hela tiden."),
    ("vagledning", "bar", "Vägledning och nya vägar", "Guidance and new paths",
     "Samtal och vägledning som öppnar för andra arbetsuppgifter, andra arbetsplatser eller ett annat yrke.",
     "När karriärsamtal, vägledning eller prövning av andra uppgifter nämns.",
     "Återgång till samma uppgifter som förut (använd vagen_tillbaka).",
     "Samtalen fick mig att se att utbildningen går att använda på fler sätt."),
    ("foretagshalsovard", "bar", "Stöd från företagshälsovården", "Support from occupational health services",
     "Företagshälsovårdens bedömningar, samtal och stöd till både medarbetare och chef.",
     "När företagshälsovården beskrivs som en del av stödet.",
     "Primärvårdens sjukskrivning i allmänhet.",
     "Företagshälsovården hjälpte oss att hitta en rimlig takt."),
    ("arbetsbelastning", "hindrar", "Arbetsbelastningen i yrket", "Workload in the profession",
     "Höga krav, stora grupper och tidspress i skola, hälso- och sjukvård och omsorg som gör återgången "
     "svår.",
     "När arbetsmiljön eller kraven i det egna yrket beskrivs som hinder.",
     "Hälsoskäl utan koppling till arbetet.",
     "Det är samma tempo som när jag blev sjuk."),
    ("oklart_ansvar", "hindrar", "Oklart ansvar", "Unclear responsibility",
     "Att det är oklart vem som ansvarar för omställningen: chefen, HR, företagshälsovården eller "
     "Försäkringskassan.",
     "När ansvaret faller mellan aktörer eller ingen tar initiativ.",
     "Försäkringskassans regler i allmänhet.",
     "Ingen visste vems uppgift det var att ta nästa steg."),
    ("identitet_yrkesroll", "sammanhang", "Identitet och yrkesroll", "Identity and professional role",
     "Hur yrket och utbildningen hänger ihop med självbilden, och vad det betyder att inte kunna återgå till "
     "det.",
     "När yrkesidentitet, stolthet eller sorg över yrket nämns.",
     "Konkreta arbetsuppgifter utan koppling till självbilden.",
     "Yrket är en stor del av den jag är."),
    ("vagen_tillbaka", "sammanhang", "Vägen tillbaka till det egna arbetet", "The way back to one's own work",
     "Hur återgången till det egna arbetet går till: stegen, takten och vad som avgör om den lyckas.",
     "När återgång till den egna tjänsten eller arbetsplatsen beskrivs.",
     "Byte till ett annat arbete (använd vagledning).",
     "Jag började med två timmar om dagen."),
    ("projektets_faser", "sammanhang", "Projektets faser", "The project's phases",
     "Hur projektet var uppdelat i faser, från insiktsarbete till test av lösningar.",
     "När faserna, övergången mellan dem eller tidsplanen nämns.",
     "Enskilda workshoppar (använd tjanstedesign).",
     "I den tredje fasen skulle vi testa det vi hade tagit fram."),
)

# role keys: med (participant), chef (manager), hr (HR strategist), fhv (occupational health),
# design (service designer), sty (steering group); "*" = any role
TEMPLATES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tjanstedesign",), "*",
     "Det nya var att vi började i medarbetarnas egna berättelser i stället för i rutinerna."),
    (("tjanstedesign",), "med",
     "I workshoppen fick jag rita upp min egen väg genom sjukskrivningen, och då såg jag var det hade stannat "
     "upp."),
    (("tjanstedesign",), "chef",
     "Prototypen av ett nytt återgångssamtal testade vi i min verksamhet innan den spreds vidare."),
    (("tjanstedesign",), "hr",
     "Tjänstedesignen tvingade oss att se processen med medarbetarens ögon och inte med organisationens."),
    (("tjanstedesign",), "design",
     "Vi intervjuade medarbetare, chefer och företagshälsovård innan vi ritade något alls."),
    (("tjanstedesign",), "design",
     "Varje idé fick bli en enkel prototyp som någon kunde pröva i verkligheten under några veckor."),
    (("tjanstedesign",), "sty",
     "Metoden gav oss underlag som vi aldrig hade fått fram genom en vanlig enkät."),
    (("chefens_stod",), "*",
     "Det som gjorde mest skillnad var att chefen höll kontakten under hela sjukskrivningen."),
    (("chefens_stod",), "med",
     "Min chef ringde varannan vecka, inte för att pressa mig, utan för att höra hur jag mådde."),
    (("chefens_stod",), "med",
     "Chefen lät mig börja med uppgifter som jag visste att jag klarade."),
    (("chefens_stod",), "chef",
     "Jag har lärt mig att anpassa schemat i stället för att vänta tills medarbetaren är helt frisk."),
    (("chefens_stod",), "hr",
     "De chefer som fick stöd i hur man för samtalen blev mycket tryggare i sin roll."),
    (("chefens_stod",), "fhv",
     "När chefen är med på trepartssamtalet blir planen mer realistisk."),
    (("vagledning",), "*",
     "Samtalen öppnade för att utbildningen kan användas på fler sätt än i det yrke man började i."),
    (("vagledning",), "med",
     "Jag hade aldrig tänkt att min utbildning kunde passa i ett arbete utanför mitt gamla yrke."),
    (("vagledning",), "med",
     "Vägledaren hjälpte mig att skriva ner vad jag faktiskt är bra på."),
    (("vagledning",), "hr",
     "Vi har börjat erbjuda karriärsamtal tidigare, innan sjukskrivningen har blivit lång."),
    (("vagledning",), "fhv",
     "Ibland är det bästa för hälsan att pröva en annan tjänst i samma förvaltning."),
    (("vagledning",), "chef",
     "En av mina medarbetare provar nu ett arbete med utvecklingsfrågor i stället för sina gamla uppgifter."),
    (("foretagshalsovard",), "*",
     "Företagshälsovården hjälpte oss att hitta en takt som gick att hålla."),
    (("foretagshalsovard",), "med",
     "Samtalen på företagshälsovården gjorde att jag förstod vad i arbetet som tog mest kraft."),
    (("foretagshalsovard",), "chef",
     "Jag kunde ringa företagshälsovården och få råd samma vecka."),
    (("foretagshalsovard",), "fhv",
     "Vi kom in tidigare än vanligt, och då fanns det fortfarande mycket att arbeta med."),
    (("foretagshalsovard",), "hr",
     "Avtalet med företagshälsovården blev tydligare under projektets gång."),
    (("arbetsbelastning",), "*",
     "Det är samma tempo och samma krav som när man blev sjuk, och då är det svårt att gå tillbaka."),
    (("arbetsbelastning",), "med",
     "Jag vet att gruppen är lika stor som förut, och det gör mig orolig inför att komma tillbaka."),
    (("arbetsbelastning",), "med",
     "På min arbetsplats finns det sällan tid att återhämta sig mellan uppgifterna."),
    (("arbetsbelastning",), "chef",
     "Jag kan anpassa en del, men bemanningen räcker inte till att någon går ner i tid länge."),
    (("arbetsbelastning",), "hr",
     "Så länge arbetsmiljön i de här yrkena ser ut som den gör kommer vi att få nya sjukskrivningar."),
    (("arbetsbelastning",), "fhv",
     "Många av dem vi träffar har arbetat i för högt tempo i flera år innan de blev sjukskrivna."),
    (("arbetsbelastning",), "sty",
     "Projektet kan inte ensamt lösa arbetsbelastningen i skolan och vården."),
    (("oklart_ansvar",), "*",
     "Ingen visste riktigt vems uppgift det var att ta nästa steg."),
    (("oklart_ansvar",), "med",
     "Jag blev skickad mellan chefen, HR och företagshälsovården utan att någon tog helheten."),
    (("oklart_ansvar",), "chef",
     "Jag trodde att HR skulle ta initiativet, och HR trodde att det var jag."),
    (("oklart_ansvar",), "hr",
     "Ansvarsfördelningen mellan chef, HR och företagshälsovård behövde skrivas ner."),
    (("oklart_ansvar",), "design",
     "I intervjuerna kom det fram att ansvaret i praktiken låg på medarbetaren själv, och så hade ingen tänkt sig "
     "det."),
    (("oklart_ansvar",), "sty",
     "Vi behövde enas om vem som äger processen efter projektets slut."),
    (("identitet_yrkesroll",), "*",
     "För många är yrket en stor del av vem man är, och det gör det svårt att byta."),
    (("identitet_yrkesroll",), "med",
     "Jag har alltid sett mig själv i mitt yrke, och därför är det så svårt att tänka på något annat."),
    (("identitet_yrkesroll",), "med",
     "Det kändes som ett misslyckande att inte kunna gå tillbaka till samma uppgifter som förut."),
    (("identitet_yrkesroll",), "chef",
     "De som har en lång utbildning för sitt yrke har ofta svårast att släppa det."),
    (("identitet_yrkesroll",), "fhv",
     "Vi pratar mycket om att yrkesidentiteten kan finnas kvar även i en annan roll."),
    (("identitet_yrkesroll",), "design",
     "Ordet omställning väckte starka känslor hos många, så vi fick tänka om kring hur vi pratade."),
    (("vagen_tillbaka",), "*",
     "Vägen tillbaka till det egna arbetet går sällan rakt, den går i små steg."),
    (("vagen_tillbaka",), "med",
     "Jag började med två timmar om dagen och några enkla uppgifter."),
    (("vagen_tillbaka",), "med",
     "När jag kom tillbaka hade arbetsplatsen förändrats, och jag fick lära känna den på nytt."),
    (("vagen_tillbaka",), "chef",
     "Vi gjorde en plan för återgången vecka för vecka, och den följde vi upp tillsammans."),
    (("vagen_tillbaka",), "fhv",
     "Det som avgör är ofta om arbetsplatsen är beredd att ta emot någon som inte arbetar fullt ut."),
    (("vagen_tillbaka",), "hr",
     "Vi följer nu upp återgången i tre månader efter att sjukskrivningen har upphört."),
    (("projektets_faser",), "*",
     "Det var bra att projektet hade tydliga faser, så att man visste vad som skulle hända när."),
    (("projektets_faser",), "design",
     "I de första faserna kartlade vi behoven, och i den tredje testade vi lösningarna på riktigt."),
    (("projektets_faser",), "sty",
     "Övergången till den sista fasen kom snabbt, och vi hann inte förankra allt i linjen."),
    (("projektets_faser",), "hr",
     "Det var först i testfasen som cheferna på allvar blev involverade."),
    (("projektets_faser",), "chef",
     "Jag kom in i projektet först i den sista fasen och fick läsa in mig på vad som redan gjorts."),
    # two codes on one sentence
    (("identitet_yrkesroll", "vagledning"), "med",
     "Det tog tid innan jag kunde se ett annat arbete som en möjlighet och inte som att ge upp mitt yrke."),
    (("chefens_stod", "vagen_tillbaka"), "chef",
     "Jag var med på varje avstämning under återgången, och det tror jag att medarbetaren märkte."),
    (("arbetsbelastning", "oklart_ansvar"), "hr",
     "När arbetsbelastningen är hög och ingen äger frågan faller den som är sjukskriven lätt bort."),
    (("tjanstedesign", "projektets_faser"), "design",
     "Varje fas avslutades med att vi visade prototyperna för styrgruppen."),
)
FILLERS = {
    "med": ["Jag har en lång högskoleutbildning för mitt yrke.",
            "Jag har arbetat i samma förvaltning i många år.",
            "Jag var sjukskriven på heltid i drygt ett år.", "Jag har familj och bor en bit utanför stan."],
    "chef": ["Jag är chef för ett fyrtiotal medarbetare.", "Jag har varit chef i förvaltningen i fem år.",
             "Många av mina medarbetare har högskoleutbildning."],
    "hr": ["Jag arbetar som HR-strateg med rehabiliteringsfrågor.", "Jag stöttar chefer i både skola och omsorg.",
           "Vi följer sjukfrånvaron i förvaltningarna varje månad."],
    "fhv": ["Jag arbetar som beteendevetare inom företagshälsovården.", "Vi har avtal med flera kommuner i länet.",
            "De flesta jag träffar i projektet har en högskoleutbildning."],
    "design": ["Jag arbetar som tjänstedesigner och var med från början.",
               "Min bakgrund är inom formgivning och användarforskning.", "Jag har lett de flesta av workshopparna."],
    "sty": ["Jag sitter i styrgruppen som representant för en av kommunerna.",
            "Styrgruppen har träffats ungefär varannan månad.", "I min vanliga tjänst är jag förvaltningschef."],
}
PROPENSITY = {
    "med": {"tjanstedesign": 2, "chefens_stod": 4, "vagledning": 3, "foretagshalsovard": 2, "arbetsbelastning": 3,
            "oklart_ansvar": 2, "identitet_yrkesroll": 4, "vagen_tillbaka": 4},
    "chef": {"tjanstedesign": 2, "chefens_stod": 4, "vagledning": 2, "foretagshalsovard": 3, "arbetsbelastning": 3,
             "oklart_ansvar": 3, "identitet_yrkesroll": 2, "vagen_tillbaka": 3, "projektets_faser": 1},
    "hr": {"tjanstedesign": 3, "chefens_stod": 3, "vagledning": 3, "foretagshalsovard": 2, "arbetsbelastning": 3,
           "oklart_ansvar": 3, "identitet_yrkesroll": 1, "vagen_tillbaka": 2, "projektets_faser": 2},
    "fhv": {"chefens_stod": 2, "vagledning": 3, "foretagshalsovard": 4, "arbetsbelastning": 3, "oklart_ansvar": 1,
            "identitet_yrkesroll": 3, "vagen_tillbaka": 3},
    "design": {"tjanstedesign": 5, "chefens_stod": 1, "oklart_ansvar": 2, "identitet_yrkesroll": 2,
               "vagen_tillbaka": 1, "projektets_faser": 4},
    "sty": {"tjanstedesign": 3, "chefens_stod": 1, "vagledning": 1, "arbetsbelastning": 2, "oklart_ansvar": 3,
            "projektets_faser": 3},
}


NAME = "Omställning kodbok (syntetisk demo)"
HEADER = ("SYNTETISK DEMO – påhittad kodbok för fouress_eval, med teman som passar en utvärdering av\n"
          "Omställning (Värmland, tjänstedesign). Synthetic demo codebook; no text here comes from real\n"
          "interviews. ")
CONFUSED = {"tjanstedesign": "projektets_faser", "projektets_faser": "tjanstedesign",
            "chefens_stod": "vagen_tillbaka", "vagen_tillbaka": "chefens_stod",
            "vagledning": "identitet_yrkesroll", "identitet_yrkesroll": "vagledning",
            "foretagshalsovard": "chefens_stod", "arbetsbelastning": "oklart_ansvar",
            "oklart_ansvar": "arbetsbelastning"}
ROLE_KEY = {"participant": "med", "manager": "chef", "hr_strategist": "hr", "occupational_health": "fhv",
            "service_designer": "design", "steering_group": "sty"}
ROLE_TITLES = {"participant": "Medarbetare", "manager": "Chef", "hr_strategist": "HR-strateg",
               "occupational_health": "Företagshälsovård", "service_designer": "Tjänstedesigner",
               "steering_group": "Styrgrupp"}
QUESTIONS = {"intro": "Intervjuare: Vill du börja med att berätta om din bakgrund och din del i projektet?",
             "positive": "Intervjuare: Vad har hjälpt på vägen?",
             "negative": "Intervjuare: Vad har gjort det svårare?",
             "neutral": "Intervjuare: Hur ser du på yrkesrollen och vägen framåt?"}
EXTRA_CODES = ("identitet_yrkesroll", "arbetsbelastning")
GROUP_TITLE = "Gruppintervju"
CODE_FROM = {"projektets_faser": "2018-09-01"}     # looking back on the phases only once phase 3 began
