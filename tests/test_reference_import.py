"""The ODOP importer on the shipped data and on messy files in the official format."""

import csv

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, State
from odop_bazaar.services.reference import odop_list
from odop_bazaar.services.reference.odop_csv import BadReferenceFile
from odop_bazaar.services.reference.odop_list import import_odop_list
from tests.reference_files import counts, official_csv, product


def test_shipped_list_loads_every_state_district_and_product(app):
    with app.app_context():
        report = odop_list.import_shipped_list()
        assert report.applied
        assert counts() == {"states": 36, "districts": 773, "products": 1241, "live": 1241,
                            "versions": 1}
        assert report.rejected == []
        # Every product sits at exactly the district code the list gives it.
        with odop_list.SHIPPED_PRODUCTS.open(encoding="utf-8") as handle:
            wanted = {(int(r["lgd_district_code"]), r["product"]) for r in csv.DictReader(handle)}
        stored = set(db.session.execute(select(OdopProduct.district_lgd_code, OdopProduct.name)))
        assert stored == wanted


def test_names_are_shown_in_normal_case(app):
    with app.app_context():
        odop_list.import_shipped_list()
        assert db.session.get(District, 171).name == "Moradabad"
        assert db.session.get(State, 35).name == "Andaman and Nicobar Islands"
        assert db.session.get(District, 171).lgd_name == "MORADABAD"


def test_importing_the_shipped_list_twice_changes_nothing(app, runner):
    with app.app_context():
        odop_list.import_shipped_list()
        before = counts()
        report = odop_list.import_shipped_list()
        assert not report.applied
        assert report.unchanged == 1241 and not (report.added or report.changed or report.retired)
        assert counts() == before


def test_messy_official_file_is_cleaned_resolved_and_reported(app):
    rows = [
        # odd spacing and case, a line break inside a cell, cp1252 punctuation
        ["  Uttar Pradesh ", "Brass\nWare – Metal Craft", " MORADABAD ", "171", "primary",
         "HANDICRAFT", "Description", "yes", "", "DPIIT"],
        # the LGD code of a district in another state (Goa's North Goa): resolved by name
        ["Uttar Pradesh", "Banarasi Silk Saree", "Varanasi", "551", "Primary", "Handloom", "", "Yes",
         "", ""],
        # a code of the right state but of another district, whose name is written whole
        ["Uttar Pradesh", "Glass Items", "Firozabad", "171", "Primary", "Manufacturing", "", "No",
         "", ""],
        ["", "", "", "", "", "", "", "", "", ""],  # a blank row
        # unknown district and wrong code: rejected with the reason
        ["Uttar Pradesh", "Something", "Atlantis", "99999", "Primary", "Handicraft", "", "No", "",
         ""],
        ["Utopia", "Anything", "Nowhere", "1", "Primary", "Handicraft", "", "No", "", ""],
        ["Goa", "Cashew", "North Goa", "551", "Primary", "Spaceflight", "", "No", "", ""],
        # the district spelt another way, with the code alone to go by
        ["Gujarat", "Kachchhi Embroidery", "Kachch", "449", "Primary", "Handicraft", "", "No", "",
         ""],
        ["Odisha", "Pattachitra", "Puri", "", "Secondary", "Handicraft", "", "Yes", "", ""],
    ]
    with app.app_context():
        report = import_odop_list(official_csv(rows), "ODOP_v32.csv")
        assert report.applied
        assert report.blank_rows == 1
        rejected = {note.line: note.text for note in report.rejected}
        assert set(rejected) == {6, 7, 8}
        assert "Atlantis" in rejected[6]
        assert "Utopia" in rejected[7]
        assert "Spaceflight" in rejected[8]

        brass = product(171, "Brass Ware – Metal Craft")
        assert brass is not None and brass.rank == "Primary" and brass.sector == "Handicraft"
        assert brass.gi_tagged
        varanasi_saree = product(187, "Banarasi Silk Saree")
        assert varanasi_saree is not None, "a code from another state is resolved by name"
        firozabad = db.session.scalar(select(District).where(District.lgd_name == "FIROZABAD"))
        assert product(firozabad.lgd_code, "Glass Items") is not None
        assert product(171, "Glass Items") is None
        kachchh = db.session.get(District, 449)
        assert kachchh.lgd_name == "KACHCHH" and product(449, "Kachchhi Embroidery") is not None
        puri = db.session.scalar(select(District).where(District.lgd_name == "PURI"))
        assert product(puri.lgd_code, "Pattachitra").rank == "Secondary"
        assert {note.line for note in report.corrected} == {3, 4}
        assert counts()["products"] == 5

        again = import_odop_list(official_csv(rows), "ODOP_v32.csv")
        assert not again.applied and again.unchanged == 5
        assert counts()["versions"] == 1


def test_a_newer_list_changes_and_retires_but_never_deletes(app):
    base = [
        ["Uttar Pradesh", "Metal Craft", "Moradabad", "171", "Primary", "Handicraft", "", "Yes", "", ""],
        ["Uttar Pradesh", "Silk Sarees", "Varanasi", "187", "Primary", "Handloom", "", "Yes", "", ""],
        ["Uttar Pradesh", "Toys", "Varanasi", "187", "Secondary", "Handicraft", "", "No", "", ""],
    ]
    newer = [
        ["Uttar Pradesh", "METAL CRAFT", "Moradabad", "171", "Primary", "Handicraft", "", "Yes", "",
         ""],
        ["Uttar Pradesh", "Silk Sarees", "Varanasi", "187", "Primary", "Textile", "", "Yes", "", ""],
    ]
    with app.app_context():
        import_odop_list(official_csv(base), "v1.csv")
        toys_id = product(187, "Toys").id
        report = import_odop_list(official_csv(newer), "v2.csv")
        assert report.unchanged == 1  # only the case differs: the same product, left as it was
        assert len(report.changed) == 1 and "sector" in report.changed[0]
        assert report.retired == ["Toys (Varanasi)"]
        toys = db.session.get(OdopProduct, toys_id)
        assert toys is not None and toys.is_retired
        assert product(187, "Silk Sarees").sector == "Textile"

        back = import_odop_list(official_csv(base), "v3.csv")
        assert any("reinstated" in line for line in back.changed)
        assert not db.session.get(OdopProduct, toys_id).is_retired


def test_a_partial_list_does_not_retire_the_rest_unless_allowed(app):
    with app.app_context():
        odop_list.import_shipped_list()
        partial = official_csv([["Goa", "Cashew", "North Goa", "551", "Primary", "Agriculture", "",
                                 "Yes", "", ""]])
        with pytest.raises(BadReferenceFile, match="would retire"):
            import_odop_list(partial, "partial.csv")
        assert counts()["live"] == 1241
        report = import_odop_list(partial, "partial.csv", allow_mass_retire=True)
        assert report.applied and counts()["live"] < 10


@pytest.mark.parametrize("raw, message", [
    (b"", "empty"),
    (b"   \r\n  \r\n", "empty"),
    (b"%PDF-1.7\n\x00\x01binary", "not a CSV"),
    (b"name,price\nSaree,100\n", "not the columns"),
    (b"State,Product,District,LGD Code,Category,Sector,GI Status\n", "no products"),
])
def test_a_bad_file_is_refused_and_changes_nothing(app, raw, message):
    with app.app_context():
        odop_list.import_shipped_list()
        before = counts()
        with pytest.raises(BadReferenceFile, match=message):
            import_odop_list(raw, "bad.csv")
        assert counts() == before


def test_dry_run_reports_without_changing(app):
    with app.app_context():
        report = import_odop_list(odop_list.SHIPPED_PRODUCTS.read_bytes(), "x.csv",
                                  dry_run=True)
        assert len(report.added) == 1241 and not report.applied
        assert counts()["products"] == 0 and counts()["states"] == 0


def test_command_prints_the_report_and_refuses_bad_files(app, runner, tmp_path):
    result = runner.invoke(args=["import-odop"])
    assert result.exit_code == 0, result.output
    assert "Products added: 1241" in result.output
    result = runner.invoke(args=["import-odop", "--if-empty"])
    assert "already loaded" in result.output

    messy = tmp_path / "odop.csv"
    messy.write_bytes(official_csv([
        ["Goa", "Cashew", "North Goa", "551", "Primary", "Agriculture", "", "Yes", "", ""],
        ["Goa", "Feni", "Nowhere", "1", "Primary", "Food Processing", "", "Yes", "", ""],
    ]))
    result = runner.invoke(args=["import-odop", "--dry-run", str(messy)])
    assert result.exit_code != 0 and "would retire" in result.output

    bad = tmp_path / "bad.csv"
    bad.write_text("hello,world\n1,2\n")
    result = runner.invoke(args=["import-odop", str(bad)])
    assert result.exit_code != 0
    assert "not the columns of an ODOP list" in result.output and "Nothing was changed" in result.output
    with app.app_context():
        assert counts()["live"] == 1241


def test_a_spelling_learned_from_one_list_never_overrides_a_code_in_the_next(app):
    with app.app_context():
        # v1: an unknown spelling with Moradabad's code; the code wins and is kept.
        import_odop_list(official_csv([
            ["Uttar Pradesh", "Brass", "Ferozabad", "171", "Primary", "Handicraft", "", "No", "", ""],
            ["Uttar Pradesh", "Silk", "", "171", "Primary", "Handloom", "", "No", "", ""],
        ]), "v1.csv")
        # v2: the same spelling with Firozabad's right code, and a blank name with Varanasi's.
        report = import_odop_list(official_csv([
            ["Uttar Pradesh", "Brass", "Ferozabad", "171", "Primary", "Handicraft", "", "No", "", ""],
            ["Uttar Pradesh", "Glass", "Ferozabad", "143", "Primary", "Manufacturing", "", "No", "",
             ""],
            ["Uttar Pradesh", "Silk", "", "171", "Primary", "Handloom", "", "No", "", ""],
            ["Uttar Pradesh", "Carpets", "", "187", "Primary", "Handicraft", "", "No", "", ""],
        ]), "v2.csv")
        assert report.corrected == []
        assert product(143, "Glass") is not None
        assert product(187, "Carpets") is not None


def test_qualified_names_and_odd_codes(app):
    with app.app_context():
        report = import_odop_list(official_csv([
            ["Assam", "Silk", "Kamrup (M)", "", "Primary", "Handloom", "", "No", "", ""],
            ["Assam", "Tea", "Kamrup (M)", "17¹", "Primary", "Agriculture", "", "No", "", ""],
        ]), "v.csv")
        assert product(618, "Silk") is not None, "Kamrup (M) is Kamrup Metro, not Kamrup"
        assert product(618, "Tea") is not None
        assert {note.line for note in report.corrected} == {2, 3}
        assert report.rejected == []
