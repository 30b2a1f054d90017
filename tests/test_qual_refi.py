"""REFI-QDA exchange: export validates against the standard's schema and re-imports identically;
hand-written projects in the shapes QDA programs write import correctly; bad input is named."""

from __future__ import annotations

import codecs
import dataclasses
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from fouress_eval.errors import InputError
from fouress_eval.qual.corpus import Corpus, new_guid
from fouress_eval.qual.refi import (CODEBOOK_NS, corpus_differences, corpus_equal, read_qdc, read_qdpx,
                                    write_qdc, write_qdpx)

xmlschema = pytest.importorskip("xmlschema")

NS = 'xmlns="urn:QDA-XML:project:1.0"'


# ---------------------------------------------------------------------------- fixtures and helpers

@pytest.fixture(scope="module")
def project_schema(reference_dir: Path):
    return xmlschema.XMLSchema(str(reference_dir / "refi-qda-project-1.0.xsd"))


@pytest.fixture(scope="module")
def codebook_schema(reference_dir: Path):
    """The codebook standard's schema, derived from the project schema in memory (not copied).

    The REFI-QDA codebook file (.qdc) uses the project's code types under root ``CodeBook``
    (``Codes`` child, ``origin`` attribute) in namespace urn:QDA-XML:codebook:1.0. Its CodeType
    lacks NoteRef, which the project's allows as optional; we never write one.
    """
    text = (reference_dir / "refi-qda-project-1.0.xsd").read_text(encoding="utf-8")
    text = text.replace("urn:QDA-XML:project:1.0", CODEBOOK_NS)
    declaration = re.search(r'<xsd:element name="Project" type="ProjectType">.*?</xsd:element>', text, re.S)
    assert declaration is not None
    text = text.replace(declaration.group(0),
                        '<xsd:element name="CodeBook" type="QdcCodeBookType"/>'
                        '<xsd:complexType name="QdcCodeBookType"><xsd:sequence>'
                        '<xsd:element name="Codes" type="CodesType"/></xsd:sequence>'
                        '<xsd:attribute name="origin" type="xsd:string"/></xsd:complexType>')
    return xmlschema.XMLSchema(text)


def G(name: str) -> str:
    return new_guid("test", name)


def small_corpus() -> Corpus:
    """Two interviews (Swedish text, an emoji), a nested codebook, two coders, sets."""
    text1 = "Chefen sa: vi måste ändra arbetsuppgifterna 😀 och stödet från HR var bra.\r\nSlut."
    text2 = "Handläggaren: samverkan med FK gick trögt i början."
    text3 = "Kort anteckning utan attribut."
    codes = pd.DataFrame([
        {"guid": G("barriers"), "name": "Hinder", "parent_guid": None, "description": "Obstacles to return",
         "is_codable": False, "color": "#AA0000"},
        {"guid": G("workload"), "name": "Arbetsbelastning", "parent_guid": G("barriers"), "description": None,
         "is_codable": True, "color": "#0a0"},
        {"guid": G("support"), "name": "Stöd", "parent_guid": None, "description": "Stöd & hjälp <HR>",
         "is_codable": True, "color": None},
        {"guid": G("manager"), "name": "Chefsstöd", "parent_guid": G("support"), "description": "",
         "is_codable": True, "color": "#123456"},
        {"guid": G("deep"), "name": "Samtal", "parent_guid": G("manager"), "description": None,
         "is_codable": True, "color": None},
    ])
    sources = pd.DataFrame([
        {"guid": G("s1"), "name": "Intervju I01", "text": text1, "interview_id": "I01", "role": "Chef",
         "municipality_code": "0781", "age": 52},
        {"guid": G("s2"), "name": "Intervju I04", "text": text2, "interview_id": "I04", "role": "Handläggare FK",
         "municipality_code": "0760", "age": None},
        {"guid": G("s3"), "name": "Anteckning", "text": text3, "interview_id": None, "role": None,
         "municipality_code": None, "age": None},
    ])
    coders = pd.DataFrame({"guid": [G("anna"), G("bertil")], "name": ["Anna", "Bertil"]})
    i = text1.index
    codings = pd.DataFrame([
        (G("s1"), i("vi måste"), i("arbetsuppgifterna") + 17, G("workload"), G("anna")),
        (G("s1"), i("vi måste"), i("arbetsuppgifterna") + 17, G("manager"), G("anna")),
        (G("s1"), i("vi måste"), i("arbetsuppgifterna") + 17, G("workload"), G("bertil")),
        (G("s1"), i("stödet"), i(" var bra"), G("support"), G("bertil")),
        (G("s1"), i("stödet"), len(text1), G("deep"), G("anna")),
        (G("s2"), 0, 12, G("barriers"), G("anna")),
        (G("s2"), 14, 27, G("support"), None),
    ], columns=["source_guid", "start", "end", "code_guid", "coder_guid"])
    sets = pd.DataFrame([
        ("chefer-set", "Chefer", G("s1")),
        ("core-set", "Kärnkoder", G("workload")),
        ("core-set", "Kärnkoder", G("manager")),
    ], columns=["set_guid", "name", "member_guid"])
    sets["set_guid"] = sets["set_guid"].map(G)
    return Corpus(codes=codes, sources=sources, coders=coders, codings=codings, sets=sets, name="4-Ess intervjuer")


def make_qdpx(path: Path, qde: str, files: dict[str, bytes | str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in (files or {}).items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def coded(corpus: Corpus) -> set[tuple[str | None, str, str]]:
    """(coder name, code name, coded text) triples."""
    seg = corpus.segments()
    return set(zip(seg["coder"], seg["code"], seg["text"]))


# ---------------------------------------------------------------------------- export and round trip

def test_export_validates_against_the_schema_and_reimports_identically(tmp_path, project_schema):
    corpus = small_corpus()
    path = write_qdpx(corpus, tmp_path / "out.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        first_text = archive.read(f"sources/{G('s1')}.txt")
    assert names[0] == "project.qde"
    assert sorted(names[1:]) == sorted(f"sources/{G(s)}.txt" for s in ("s1", "s2", "s3"))
    assert first_text == corpus.sources["text"][0].encode("utf-8")  # UTF-8, no BOM, CRLF kept
    (tmp_path / "project.qde").write_bytes(qde)
    project_schema.validate(str(tmp_path / "project.qde"))
    assert b"creationDateTime" not in qde and b"<Cases>" in qde and b"<Sets>" in qde

    back = read_qdpx(path)
    assert corpus_differences(corpus, back) == []
    assert corpus_equal(corpus, back)
    assert back.warnings == ["1 coding(s) name no creatingUser; their coder is None"]  # the row with coder None
    assert back.sources["problem"].isna().all()
    assert back.sources.set_index("name").loc["Intervju I01", "municipality_code"] == "0781"  # text, zero kept
    assert back.sources.set_index("name").loc["Intervju I01", "age"] == 52
    assert coded(corpus) == coded(back)


def test_export_is_deterministic(tmp_path):
    corpus = small_corpus()
    a = write_qdpx(corpus, tmp_path / "a.qdpx").read_bytes()
    shuffled = small_corpus()
    shuffled.codings = shuffled.codings.iloc[::-1].reset_index(drop=True)
    b = write_qdpx(shuffled, tmp_path / "b.qdpx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_round_trip_of_an_empty_codings_table_and_missing_text(tmp_path, project_schema):
    corpus = small_corpus()
    corpus.codings = corpus.codings.iloc[0:0]
    corpus.sets = corpus.sets.iloc[0:0]
    corpus.sources.loc[2, "text"] = None
    path = write_qdpx(corpus, tmp_path / "x.qdpx")
    with zipfile.ZipFile(path) as archive:
        (tmp_path / "project.qde").write_bytes(archive.read("project.qde"))
    project_schema.validate(str(tmp_path / "project.qde"))
    back = read_qdpx(path)
    assert back.codings.empty and back.sets.empty
    assert back.sources["problem"].notna().sum() == 1
    assert corpus_equal(corpus, dataclasses.replace(back, sources=back.sources.drop(columns="problem")))


def test_export_names_bad_corpus_content(tmp_path):
    corpus = small_corpus()
    corpus.codings.loc[0, "end"] = 10_000
    with pytest.raises(InputError, match="outside its source text"):
        write_qdpx(corpus, tmp_path / "x.qdpx")
    corpus = small_corpus()
    corpus.codings.loc[0, "code_guid"] = G("nope")
    with pytest.raises(InputError, match="code that is not in the corpus"):
        write_qdpx(corpus, tmp_path / "x.qdpx")
    corpus = small_corpus()
    corpus.codes.loc[0, "parent_guid"] = G("deep")  # Hinder under Samtal under … under Hinder? no: a cycle
    corpus.codes.loc[1, "parent_guid"] = G("workload")
    with pytest.raises(InputError, match="cycle"):
        write_qdpx(corpus, tmp_path / "x.qdpx")
    corpus = small_corpus()
    corpus.codes.loc[0, "color"] = "red"
    with pytest.raises(InputError, match="colour"):
        write_qdpx(corpus, tmp_path / "x.qdpx")
    assert not (tmp_path / "x.qdpx").exists()


# ---------------------------------------------------------------------------- codebook (.qdc)

def test_codebook_round_trip_validates(tmp_path, codebook_schema):
    codes = small_corpus().codes
    path = write_qdc(codes, tmp_path / "kodbok.qdc")
    codebook_schema.validate(str(path))
    assert f'xmlns="{CODEBOOK_NS}"'.encode() in path.read_bytes()
    back = read_qdc(path)
    empty = pd.DataFrame(columns=["guid", "name"])
    a = Corpus(codes=codes, sources=pd.DataFrame(columns=["guid", "name", "text"]), coders=empty,
               codings=pd.DataFrame(columns=["source_guid", "start", "end", "code_guid", "coder_guid"]))
    b = Corpus(codes=back, sources=a.sources, coders=empty, codings=a.codings)
    assert corpus_differences(a, b) == []
    assert write_qdc(back, tmp_path / "again.qdc").read_bytes() == path.read_bytes()


def test_codebook_reader_accepts_hand_written_files_and_refuses_projects(tmp_path):
    (tmp_path / "a.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA">'
        '<Codes><Code guid="{0C4E1F0A-1111-4222-8333-444455556666}" name="Hinder" isCodable="false" color="#FF0000">'
        '<Code guid="0c4e1f0a-1111-4222-8333-444455556667" name="Tid" isCodable="true"/></Code></Codes>'
        '</CodeBook>', encoding="utf-8")
    codes = read_qdc(tmp_path / "a.qdc")
    assert list(codes["name"]) == ["Hinder", "Tid"]
    assert codes.loc[1, "parent_guid"] == "0c4e1f0a-1111-4222-8333-444455556666"
    assert list(codes["is_codable"]) == [False, True]
    (tmp_path / "p.qdc").write_text(f'<Project {NS} name="x"/>', encoding="utf-8")
    with pytest.raises(InputError, match="root element is <Project>"):
        read_qdc(tmp_path / "p.qdc")


# ---------------------------------------------------------------------------- projects as QDA programs write them

U1, U2 = "{5C94BC9E-DB8C-4F1D-9CD6-E900C7440860}", "{A1B2C3D4-0000-4000-8000-00000000AAAA}"
C_TOP, C_SUB, C_OTHER = ("{D1000000-0000-4000-8000-000000000001}", "{D1000000-0000-4000-8000-000000000002}",
                         "{D1000000-0000-4000-8000-000000000003}")
SRC = "{E2000000-0000-4000-8000-00000000000F}"
TEXT = "Hej! Så här gick det: åäö 😀 Sjukskrivningen minskade efter samtalet."


def nvivo_like(text_path: str = f"internal://{SRC[1:-1]}.txt", extra_sources: str = "") -> str:
    """Upper-case braced GUIDs, nested coloured codes, two users coding one source differently,
    a case with variables, a set, dates and other optional attributes."""
    start = TEXT.index("Sjukskrivningen")
    end = start + len("Sjukskrivningen minskade")
    late = TEXT.index("samtalet")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Uppföljning" origin="NVivo 14"
  creationDateTime="2024-03-01T10:00:00Z">
  <Users>
    <User guid="{U1}" name="Anna" id="AN"/>
    <User guid="{U2}" name="Bertil"/>
  </Users>
  <CodeBook><Codes>
    <Code guid="{C_TOP}" name="Utfall" isCodable="true" color="#3366FF">
      <Description>Vad hände</Description>
      <Code guid="{C_SUB}" name="Minskad sjukskrivning" isCodable="true" color="#F0A"/>
    </Code>
    <Code guid="{C_OTHER}" name="Samtal" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{{F3000000-0000-4000-8000-000000000001}}" name="role" typeOfVariable="Text"/>
    <Variable guid="{{F3000000-0000-4000-8000-000000000002}}" name="municipality_code" typeOfVariable="Text"/>
    <Variable guid="{{F3000000-0000-4000-8000-000000000003}}" name="years" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{{F4000000-0000-4000-8000-000000000001}}" name="Person 1">
      <VariableValue><VariableRef targetGUID="{{F3000000-0000-4000-8000-000000000001}}"/><TextValue>Chef</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{{F3000000-0000-4000-8000-000000000002}}"/><TextValue>0781</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{{F3000000-0000-4000-8000-000000000003}}"/><IntegerValue>12</IntegerValue></VariableValue>
      <SourceRef targetGUID="{SRC}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{SRC}" name="Intervju 1" plainTextPath="{text_path}" creatingUser="{U1}"
      creationDateTime="2024-03-01T10:00:00Z" richTextPath="internal://{SRC[1:-1]}.docx">
      <PlainTextSelection guid="{{B0000000-0000-4000-8000-000000000001}}" name="x" startPosition="{start}"
        endPosition="{end}" creatingUser="{U1}" creationDateTime="2024-03-02T10:00:00Z">
        <Coding guid="{{B1000000-0000-4000-8000-000000000001}}" creatingUser="{U1}"><CodeRef targetGUID="{C_SUB}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{{B0000000-0000-4000-8000-000000000002}}" startPosition="{start}" endPosition="{late + 8}"
        creatingUser="{U2}">
        <Coding guid="{{B1000000-0000-4000-8000-000000000002}}"><CodeRef targetGUID="{C_TOP}"/></Coding>
        <Coding guid="{{B1000000-0000-4000-8000-000000000003}}"><CodeRef targetGUID="{C_OTHER}"/></Coding>
      </PlainTextSelection>
    </TextSource>{extra_sources}
  </Sources>
  <Sets>
    <Set guid="{{C5000000-0000-4000-8000-000000000001}}" name="Utfallskoder">
      <MemberCode targetGUID="{C_TOP}"/><MemberCode targetGUID="{C_SUB}"/>
    </Set>
  </Sets>
</Project>
"""


def test_nvivo_like_project_with_braced_upper_case_guids_and_two_coders(tmp_path):
    path = make_qdpx(tmp_path / "nvivo.qdpx", nvivo_like(),
                     {f"Sources/{SRC[1:-1]}.txt": codecs.BOM_UTF8 + TEXT.encode("utf-8")})
    corpus = read_qdpx(path)
    assert corpus.warnings == [] and corpus.name == "Uppföljning"
    assert list(corpus.coders["name"]) == ["Anna", "Bertil"]
    assert corpus.coders["guid"][0] == "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"  # canonical form
    codes = corpus.codes.set_index("name")
    assert codes.loc["Minskad sjukskrivning", "parent_guid"] == C_TOP[1:-1].lower()
    assert codes.loc["Utfall", "color"] == "#3366FF" and codes.loc["Minskad sjukskrivning", "color"] == "#F0A"
    assert codes.loc["Utfall", "description"] == "Vad hände" and codes.loc["Samtal", "description"] is None
    assert corpus.sources.loc[0, "text"] == TEXT  # BOM stripped: offsets count from "H"
    assert corpus.sources.loc[0, "role"] == "Chef" and corpus.sources.loc[0, "municipality_code"] == "0781"
    assert corpus.sources.loc[0, "years"] == 12
    assert coded(corpus) == {
        ("Anna", "Minskad sjukskrivning", "Sjukskrivningen minskade"),
        ("Bertil", "Utfall", "Sjukskrivningen minskade efter samtalet"),
        ("Bertil", "Samtal", "Sjukskrivningen minskade efter samtalet"),
    }
    assert set(corpus.sets["member_guid"]) == {C_TOP[1:-1].lower(), C_SUB[1:-1].lower()}


def test_maxqda_like_source_variables_whole_document_coding_and_other_media(tmp_path):
    """Lower-case GUIDs without braces, variables on the source itself, a whole-document
    coding, a UTF-16 text file, a PDF source (skipped with a warning) in a set."""
    source, pdf, code, user, variable = ("aa000000-0000-4000-8000-000000000001", "aa000000-0000-4000-8000-000000000002",
                                         "aa000000-0000-4000-8000-000000000003", "aa000000-0000-4000-8000-000000000004",
                                         "aa000000-0000-4000-8000-000000000005")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project origin="MAXQDA 2022" {NS} name="M">
 <Users><User guid="{user}" name="Cilla"/></Users>
 <CodeBook><Codes><Code guid="{code}" name="Helhet" isCodable="true"/></Codes></CodeBook>
 <Variables><Variable guid="{variable}" name="deltog" typeOfVariable="Boolean"/></Variables>
 <Sources>
  <TextSource plainTextPath="internal://D.txt" guid="{source}" name="Dokument">
   <Coding guid="aa000000-0000-4000-8000-000000000006" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>
   <VariableValue><VariableRef targetGUID="{variable}"/><BooleanValue>true</BooleanValue></VariableValue>
  </TextSource>
  <PDFSource path="internal://E.pdf" guid="{pdf}" name="Skannat"/>
 </Sources>
 <Sets><Set guid="aa000000-0000-4000-8000-000000000007" name="Alla">
  <MemberSource targetGUID="{source}"/><MemberSource targetGUID="{pdf}"/></Set></Sets>
</Project>"""
    corpus = read_qdpx(make_qdpx(tmp_path / "m.qdpx", qde, {"D.txt": "Åtta år 😀 senare.".encode("utf-16")}))
    assert corpus.sources.loc[0, "text"] == "Åtta år 😀 senare." and bool(corpus.sources.loc[0, "deltog"]) is True
    assert coded(corpus) == {("Cilla", "Helhet", "Åtta år 😀 senare.")}
    assert list(corpus.sets["member_guid"]) == [source]
    assert [w for w in corpus.warnings if "Skannat" in w and "skipped" in w]


def test_offsets_count_unicode_characters_not_bytes(tmp_path):
    corpus = read_qdpx(make_qdpx(tmp_path / "p.qdpx", nvivo_like(), {f"sources/{SRC[1:-1]}.txt": TEXT}))
    row = corpus.codings.iloc[0]
    assert TEXT[row["start"]:row["end"]] == "Sjukskrivningen minskade"
    assert row["start"] < len(TEXT[:row["start"]].encode("utf-8"))  # å ä ö 😀 are multi-byte
    assert corpus.segments()["text"].iloc[0] == "Sjukskrivningen minskade"


def test_bare_qde_with_inline_text_and_no_users(tmp_path):
    (tmp_path / "project.qde").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<Project {NS} name="QualCoder-export" origin="QualCoder 3.5">
  <CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="Stöd" isCodable="1"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="22222222-2222-4222-8222-222222222222" name="Memo">
      <PlainTextContent>Ärligt talat: 😀 stödet var bra.</PlainTextContent>
      <PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="16" endPosition="22">
        <Coding guid="44444444-4444-4444-8444-444444444444" creatingUser="55555555-5555-4555-8555-555555555555">
          <CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>""", encoding="utf-8")
    corpus = read_qdpx(tmp_path / "project.qde")
    assert coded(corpus) == {(None, "Stöd", "stödet")}
    assert list(corpus.coders["guid"]) == ["55555555-5555-4555-8555-555555555555"]
    assert any("no Users section" in w for w in corpus.warnings)


def test_project_with_codebook_and_sources_but_no_codings(tmp_path):
    qde = f"""<Project {NS} name="Ny">
  <Users><User guid="{U1}" name="Anna"/></Users>
  <CodeBook><Codes><Code guid="{C_TOP}" name="Utfall" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{SRC}" name="Intervju 1" plainTextPath="internal://{SRC[1:-1]}.txt"/></Sources>
</Project>"""
    corpus = read_qdpx(make_qdpx(tmp_path / "ny.qdpx", qde, {f"sources/{SRC[1:-1]}.txt": TEXT}))
    assert corpus.codings.empty and list(corpus.codings.columns) == [
        "source_guid", "start", "end", "code_guid", "coder_guid"]
    assert len(corpus.codes) == 1 and corpus.sources.loc[0, "text"] == TEXT and corpus.sets.empty
    assert corpus.segments().empty


def test_missing_source_file_is_a_per_source_problem(tmp_path):
    other = "{E2000000-0000-4000-8000-0000000000AA}"
    extra = (f'\n    <TextSource guid="{other}" name="Intervju 2">'
             '<PlainTextContent>Kort.</PlainTextContent></TextSource>')
    corpus = read_qdpx(make_qdpx(tmp_path / "p.qdpx", nvivo_like(extra_sources=extra)))  # no source file
    sources = corpus.sources.set_index("name")
    assert sources.loc["Intervju 1", "text"] is None
    assert "not found" in sources.loc["Intervju 1", "problem"]
    assert sources.loc["Intervju 2", "text"] == "Kort." and sources.loc["Intervju 2", "problem"] is None
    assert len(corpus.codings) == 3  # kept, unchecked
    assert any("Intervju 1" in w for w in corpus.warnings)
    assert corpus.segments()["text"].isna().all()


def test_absolute_and_relative_text_paths(tmp_path):
    text_file = tmp_path / "texts" / "i1.txt"
    text_file.parent.mkdir()
    text_file.write_text(TEXT, encoding="utf-8")
    for reference in (f"absolute://{text_file.as_posix()}", text_file.as_posix(), "relative:///texts/i1.txt"):
        (tmp_path / "project.qde").write_text(nvivo_like(reference), encoding="utf-8")
        corpus = read_qdpx(tmp_path / "project.qde")
        assert corpus.sources.loc[0, "text"] == TEXT, reference


# ---------------------------------------------------------------------------- bad input

def test_not_a_project(tmp_path):
    (tmp_path / "x.qdpx").write_bytes(b"\x00\x01PK garbage")
    with pytest.raises(InputError, match="neither a zip archive"):
        read_qdpx(tmp_path / "x.qdpx")
    make_qdpx(tmp_path / "y.qdpx", "<Project")
    with pytest.raises(InputError, match="not well-formed XML") as info:
        read_qdpx(tmp_path / "y.qdpx")
    assert "y.qdpx" in str(info.value)
    with zipfile.ZipFile(tmp_path / "z.qdpx", "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(InputError, match="no project.qde"):
        read_qdpx(tmp_path / "z.qdpx")
    with pytest.raises(InputError, match="file not found"):
        read_qdpx(tmp_path / "absent.qdpx")


def test_wrong_namespace_or_root(tmp_path):
    make_qdpx(tmp_path / "a.qdpx", '<Project xmlns="urn:QDA-XML:project:1:0" name="x"/>')
    with pytest.raises(InputError, match="wrong XML namespace") as info:
        read_qdpx(tmp_path / "a.qdpx")
    assert "urn:QDA-XML:project:1.0" in str(info.value)
    make_qdpx(tmp_path / "b.qdpx", '<Project name="x"/>')
    with pytest.raises(InputError, match="no namespace"):
        read_qdpx(tmp_path / "b.qdpx")
    make_qdpx(tmp_path / "c.qdpx", f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes/></CodeBook>')
    with pytest.raises(InputError, match="read it with read_qdc"):
        read_qdpx(tmp_path / "c.qdpx")


def _broken(tmp_path: Path, old: str, new: str) -> str:
    qde = nvivo_like()
    assert old in qde
    make_qdpx(tmp_path / "bad.qdpx", qde.replace(old, new, 1), {f"sources/{SRC[1:-1]}.txt": TEXT})
    with pytest.raises(InputError) as info:
        read_qdpx(tmp_path / "bad.qdpx")
    message = str(info.value)
    assert "bad.qdpx" in message and "line " in message
    return message


def test_selection_past_the_end_of_its_text(tmp_path):
    start = TEXT.index("Sjukskrivningen")
    message = _broken(tmp_path, f'endPosition="{start + 24}"', f'endPosition="{len(TEXT) + 1}"')
    assert "past the end of the text" in message and "Intervju 1" in message and f"({len(TEXT)} characters)" in message


def test_coding_of_an_unknown_code(tmp_path):
    message = _broken(tmp_path, f'<CodeRef targetGUID="{C_SUB}"/>',
                      '<CodeRef targetGUID="99999999-9999-4999-8999-999999999999"/>')
    assert "not in the codebook" in message and "99999999-9999-4999-8999-999999999999" in message


def test_coding_by_an_unknown_user(tmp_path):
    message = _broken(tmp_path, f'<Coding guid="{{B1000000-0000-4000-8000-000000000001}}" creatingUser="{U1}">',
                      '<Coding guid="{B1000000-0000-4000-8000-000000000001}" '
                      'creatingUser="77777777-7777-4777-8777-777777777777">')
    assert "not among the project's Users" in message


def test_duplicate_guids(tmp_path):
    message = _broken(tmp_path, f'<Code guid="{C_OTHER}"', f'<Code guid="{C_SUB.lower()}"')
    assert "duplicate GUID" in message and C_SUB[1:-1].lower() in message


def test_malformed_guid_and_position(tmp_path):
    assert "not a GUID" in _broken(tmp_path, f'<User guid="{U2}"', '<User guid="bertil"')
    start = TEXT.index("Sjukskrivningen")
    assert "not a whole number" in _broken(tmp_path, f'startPosition="{start}"', 'startPosition="tolv"')


def test_demo_corpus_exports_validates_and_round_trips(reference_dir, tmp_path):
    """The package's own demo corpus (codebook, 30 transcripts, two coders) → .qdpx → back."""
    import xmlschema

    from fouress_eval.qual.codings import read_codings_csv

    demo = Path(__file__).resolve().parents[1] / "data_raw" / "demo"
    corpus = read_codings_csv(demo / "qual" / "kodningar.csv", demo / "qual" / "transkript",
                              demo / "qual" / "kodbok.yml", demo / "intervjuer.csv")
    path = write_qdpx(corpus, tmp_path / "demo.qdpx")
    with zipfile.ZipFile(path) as archive:
        xmlschema.XMLSchema(str(reference_dir / "refi-qda-project-1.0.xsd")).validate(
            archive.read("project.qde").decode("utf-8"))
    back = read_qdpx(path)
    assert len(back.codings) == len(corpus.codings) and len(back.sources) == 30
    assert set(back.coders["name"]) == {"kodare_A", "kodare_B"}
    # codings per coder survive with their exact character spans
    key = ["source_guid", "start", "end", "code_guid", "coder_guid"]
    assert sorted(map(tuple, back.codings[key].to_numpy().tolist())) == sorted(
        map(tuple, corpus.codings[key].to_numpy().tolist()))
    assert dict(zip(back.sources["guid"], back.sources["text"])) == dict(zip(corpus.sources["guid"], corpus.sources["text"]))
