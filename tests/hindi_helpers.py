"""Small Hindi-names files, as data/odop/hindi/ holds them, for the places of factories.py."""

from pathlib import Path

STATES = "state_lgd_code,state_name,name_hi\n9,Uttar Pradesh,उत्तर प्रदेश\n30,Goa,गोवा\n"
DISTRICTS = ("district_lgd_code,district_name,state_lgd_code,name_hi\n"
             "187,Varanasi,9,वाराणसी\n171,Moradabad,9,मुरादाबाद\n551,North Goa,30,उत्तर गोवा\n")
# Respelt as a newer official list shouts it: matched by the folded key all the same.
PRODUCTS = ("product,name_hi\nBANARASI SILK SAREES,बनारसी रेशमी साड़ी\nMetal Craft,धातु शिल्प\n"
            "Wooden Lacquerware & Toys,लकड़ी के खिलौने\nCashew,काजू\n")


def write_hindi_names(folder: Path, *, states=STATES, districts=DISTRICTS,
                      products=PRODUCTS) -> Path:
    """Write the three files (those given as None are left out); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("states_hi.csv", states), ("districts_hi.csv", districts),
                       ("products_hi.csv", products)):
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder
