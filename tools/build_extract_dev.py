"""Build tests/data/extract_dev.jsonl from the annotated source tools/extract_dev.txt.

The source is easier to write and review than JSON with character offsets:

    == dev-001 2021-06-15 next_sentence_figures homonym
    Text of the passage, wrapped over as many lines as needed ("¶" starts a new
    paragraph). [Achin] is an Afghan place looked up in PLACES below,
    [Nawa|Ghazni|Nawa] gives province and district inline ("-" for no district),
    [Quetta|F] is a foreign place and {Attaullah Khogyani} is a person or
    organisation whose name looks like a place.
    @ Sat; Achin; k=7; kq=at least; w=12

An "@" line is a gold incident: its date, its place (looked up in PLACES like the
text's places, or "name|province|district"), then figures. The date is ISO, or
relative to the publication date: a weekday ("Sat": the last Saturday before
publication), "0" (the day of publication), "-1" (the day before), "lastweek" (Monday
to Sunday of the week before). Figure keys: k, kq, kl, kh (killed, its qualifier,
low and high of a range), w, wq (wounded), c (killed and wounded together), d
(displaced families), end (the last day of a date range).

Usage: python tools/build_extract_dev.py  (rewrites the JSONL; the test validates it)
       python tools/build_extract_dev.py --source tools/extract_holdout.txt \
           --out tests/data/extract_holdout.jsonl  (the held-out set, same markup)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools" / "extract_dev.txt"
TARGET = ROOT / "tests" / "data" / "extract_dev.jsonl"

PROVINCES = (
    "Badakhshan Badghis Baghlan Balkh Bamyan Daykundi Farah Faryab Ghazni Ghor Helmand "
    "Herat Jowzjan Kabul Kandahar Kapisa Khost Kunar Kunduz Laghman Logar Nangarhar "
    "Nimroz Nuristan Paktia Paktika Panjshir Parwan Samangan Sar-e_Pol Takhar Uruzgan "
    "Wardak Zabul"
).replace("_", " ")

# surface as written -> (province, district or None); districts spelled as in
# afghangeo.districts(). Names with several homes ("Nawa", "Arghandab") are not here:
# the text gives them inline.
_TABLE = """
Nimruz=Nimroz; Paktiya=Paktia; Oruzgan=Uruzgan; Urozgan=Uruzgan; Daikundi=Daykundi;
Sar-i-Pul=Sar-e Pol; Sari Pul=Sar-e Pol; Jawzjan=Jowzjan; Maidan Wardak=Wardak;
Bamiyan=Bamyan; Nangahar=Nangarhar; Badakshan=Badakhshan; Konar=Kunar; Panjsher=Panjshir;
Zabol=Zabul; Baghdis=Badghis; Khowst=Khost; Lowgar=Logar; Parvan=Parwan; Kondoz=Kunduz;
Lashkar Gah=Helmand|Lashkar Gah; Sangin=Helmand|Sangin; Musa Qala=Helmand|Musa Qala;
Nad Ali=Helmand|Nad Ali; Marja=Helmand|Nad Ali; Garmser=Helmand|Garmser;
Gereshk=Helmand|Nahri Sarraj; Nahr-e Saraj=Helmand|Nahri Sarraj; Kajaki=Helmand|Kajaki;
Nawzad=Helmand|Naw Zad; Washer=Helmand|Washer; Nawa-i-Barakzayi=Helmand|Nawa-i-Barakzayi;
Kandahar city=Kandahar|Kandahar; Spin Boldak=Kandahar|Spin Boldak;
Spin Bolak=Kandahar|Spin Boldak; Panjwai=Kandahar|Panjwayi; Zhari=Kandahar|Zhari;
Maiwand=Kandahar|Maywand; Shah Wali Kot=Kandahar|Shah Wali Kot; Daman=Kandahar|Daman;
Khakrez=Kandahar|Khakrez; Maruf=Kandahar|Maruf;
Qalat=Zabul|Qalat; Shahjoy=Zabul|Shahjoy; Shinkay=Zabul|Shinkay; Mizan=Zabul|Mizan;
Tarnak Wa Jaldak=Zabul|Tarnak Wa Jaldak; Atghar=Zabul|Atghar;
Tarinkot=Uruzgan|Tarinkot; Chora=Uruzgan|Chora; Dehrawud=Uruzgan|Dihrawud;
Khas Uruzgan=Uruzgan|Khas Uruzgan; Shahidi Hassas=Uruzgan|Shahidi Hassas;
Andar=Ghazni|Andar; Giro=Ghazni|Giro; Deh Yak=Ghazni|Dih Yak; Jaghuri=Ghazni|Jaghuri;
Ab Band=Ghazni|Ab Band; Khwaja Umari=Ghazni|Khwaja Umari; Waghaz=Ghazni|Waghaz;
Gelan=Ghazni|Gelan; Malistan=Ghazni|Malistan;
KABUL=Kabul|Kabul; Kabul city=Kabul|Kabul; Surobi=Kabul|Surobi; Paghman=Kabul|Paghman;
Chahar Asyab=Kabul|Chahar Asyab; Bagrami=Kabul|Bagrami; Musahi=Kabul|Musayi;
Shakardara=Kabul|Shakardara; Deh Sabz=Kabul|Dih Sabz;
Jalalabad=Nangarhar|Jalalabad; JALALABAD=Nangarhar|Jalalabad; Achin=Nangarhar|Acheen;
Khogyani=Nangarhar|Khogayani; Chaparhar=Nangarhar|Chaparhar;
Pachir Agam=Nangarhar|Pachier Agam; Rodat=Nangarhar|Rodat; Surkh Rod=Nangarhar|Surkh Rod;
Bati Kot=Nangarhar|Bati Kot; Shinwar=Nangarhar|Shinwar; Sherzad=Nangarhar|Shirzad;
Mohmand Dara=Nangarhar|Muhmand Dara; Hesarak=Nangarhar|Hesarak; Lalpur=Nangarhar|Lal Por;
Deh Bala=Nangarhar|Deh Bala; Dur Baba=Nangarhar|Dur Baba;
Asadabad=Kunar|Asadabad; Dangam=Kunar|Dangam; Sarkano=Kunar|Sarkani;
Marawara=Kunar|Marawara; Chawkay=Kunar|Chawkay; Watapur=Kunar|Wata Pur;
Pech=Kunar|Dara-i-Pech; Narang=Kunar|Narang; Khas Kunar=Kunar|Khas Kunar;
Mehtarlam=Laghman|Mihtarlam; Alingar=Laghman|Alingar; Alishing=Laghman|Alishing;
Qarghayi=Laghman|Qarghayi; Dawlat Shah=Laghman|Daulatshahi;
Kamdesh=Nuristan|Kamdesh; Waygal=Nuristan|Waygal; Doab=Nuristan|Du Ab;
Bargi Matal=Nuristan|Bargi Matal; Barg-e Matal=Nuristan|Bargi Matal;
Nurgaram=Nuristan|Nurgaram; Mandol=Nuristan|Mandol; Wama=Nuristan|Wama;
Pul-i-Alam=Logar|Pul-i-Alam; Puli Alam=Logar|Pul-i-Alam; Mohammad Agha=Logar|Mohammad Agha;
Baraki Barak=Logar|Baraki Barak; Charkh=Logar|Charkh; Azra=Logar|Azra;
Maidan Shahr=Wardak|Maydan Shahr; Sayedabad=Wardak|Saydabad; Chak=Wardak|Chaki Wardak;
Nerkh=Wardak|Nirkh; Jalrez=Wardak|Jalrez; Day Mirdad=Wardak|Day Mirdad;
Gardez=Paktia|Gardez; Zurmat=Paktia|Zurmat; Sayed Karam=Paktia|Sayed Karam;
Chamkani=Paktia|Chamkani; Dand Patan=Paktia|Dand Patan; Zadran=Paktia|Zadran;
Sharan=Paktika|Sharan; Urgun=Paktika|Urgun; Barmal=Paktika|Barmal; Gomal=Paktika|Gomal;
Yahya Khel=Paktika|Yahya Khel; Dila=Paktika|Dila; Omna=Paktika|Omna;
Khost city=Khost|Khost (Matun); Sabari=Khost|Sabri; Tani=Khost|Tani;
Mandozai=Khost|Mando Zayi; Spera=Khost|Spira; Nadir Shah Kot=Khost|Nadir Shah Kot;
Herat city=Herat|Herat; HERAT=Herat|Herat; Shindand=Herat|Shindand; Injil=Herat|Injil;
Guzara=Herat|Guzara; Adraskan=Herat|Adraskan; Obe=Herat|Obe; Kushk=Herat|Koshk;
Gulran=Herat|Gulran; Pashtun Zarghun=Herat|Pashtun Zarghun; Karukh=Herat|Karukh;
Islam Qala=Herat|Kohsan;
Farah city=Farah|Farah; Bala Buluk=Farah|Bala Buluk; Pusht Rod=Farah|Pusht Rod;
Bakwa=Farah|Bakwa; Khak-e Safed=Farah|Khaki Safed; Gulistan=Farah|Gulistan;
Anar Dara=Farah|Anar Dara; Shib Koh=Farah|Shib Koh;
Zaranj=Nimroz|Zaranj; Khash Rod=Nimroz|Khash Rod; Chahar Burjak=Nimroz|Chahar Burjak;
Chakhansur=Nimroz|Chakhansur; Kang=Nimroz|Kang;
Qala-i-Naw=Badghis|Qala-i-Naw; Bala Murghab=Badghis|Bala Murghab;
Ab Kamari=Badghis|Ab Kamari; Jawand=Badghis|Jawand; Qadis=Badghis|Qadis;
Ghormach=Badghis|Ghormach;
Chaghcharan=Ghor|Chaghcharan; Shahrak=Ghor|Shahrak; Pasaband=Ghor|Pasaband;
Taywara=Ghor|Taywara; Dawlat Yar=Ghor|Dawlat Yar; Tulak=Ghor|Tulak;
Maymana=Faryab|Maymana; Pashtun Kot=Faryab|Pashtun Kot; Almar=Faryab|Almar;
Qaysar=Faryab|Qaysar; Shirin Tagab=Faryab|Shirin Tagab; Andkhoy=Faryab|Andkhoy;
Gurziwan=Faryab|Gurziwan; Qaramqol=Faryab|Qaramqol;
Sheberghan=Jowzjan|Sheberghan; Darzab=Jowzjan|Darzab; Qush Tepa=Jowzjan|Qush Tepa;
Aqcha=Jowzjan|Aqcha; Khwaja Du Koh=Jowzjan|Khwaja Du Koh; Mardyan=Jowzjan|Mardyan;
Sayyad=Sar-e Pol|Sayyad; Sozma Qala=Sar-e Pol|Sozma Qala; Sangcharak=Sar-e Pol|Sangcharak;
Kohistanat=Sar-e Pol|Kohistanat; Balkhab=Sar-e Pol|Balkhab; Gosfandi=Sar-e Pol|Gosfandi;
Mazar-i-Sharif=Balkh|Mazar-i-Sharif; MAZAR-I-SHARIF=Balkh|Mazar-i-Sharif;
Chahar Bolak=Balkh|Chahar Bolak; Chimtal=Balkh|Chimtal; Sholgara=Balkh|Sholgara;
Zari=Balkh|Zari; Chahar Kint=Balkh|Chahar Kint; Nahri Shahi=Balkh|Nahri Shahi;
Khulm=Balkh|Khulm; Dihdadi=Balkh|Dihdadi;
Aybak=Samangan|Aybak; Dara-e Suf=Samangan|Dara-i-Sufi Payin;
Hazrati Sultan=Samangan|Hazrati Sultan; Feroz Nakhchir=Samangan|Feroz Nakhchir;
Pul-i-Khumri=Baghlan|Pul-i-Khumri; Puli Khumri=Baghlan|Pul-i-Khumri;
Baghlan-e Jadid=Baghlan|Baghlani Jadid; Dahana-e Ghori=Baghlan|Dahana-i-Ghuri;
Burka=Baghlan|Burka; Nahrin=Baghlan|Nahrin; Andarab=Baghlan|Andarab;
Khinjan=Baghlan|Khinjan; Dushi=Baghlan|Dushi; Guzargah-e Nur=Baghlan|Guzargahi Nur;
Kunduz city=Kunduz|Kunduz; KUNDUZ=Kunduz|Kunduz; Imam Sahib=Kunduz|Imam Sahib;
Chahar Dara=Kunduz|Chahar Dara; Dasht-e Archi=Kunduz|Dashte Archi;
Khanabad=Kunduz|Khanabad; Aliabad=Kunduz|Aliabad; Qala-i-Zal=Kunduz|Qalay-i-Zal;
Taloqan=Takhar|Taloqan; Khwaja Ghar=Takhar|Khwaja Ghar; Darqad=Takhar|Darqad;
Dasht-e Qala=Takhar|Dashti Qala; Yangi Qala=Takhar|Yangi Qala;
Eshkamesh=Takhar|Ishkamish; Khwaja Bahauddin=Takhar|Khwaja Bahawuddin;
Farkhar=Takhar|Farkhar; Rustaq=Takhar|Rustaq; Chah Ab=Takhar|Chah Ab;
Jurm=Badakhshan|Jurm; Warduj=Badakhshan|Warduj; Yamgan=Badakhshan|Yamgan (Girwan);
Kishim=Badakhshan|Kishim; Argo=Badakhshan|Argo; Yaftal=Badakhshan|Yaftal Sufla;
Tashkan=Badakhshan|Tashkan; Shahri Buzurg=Badakhshan|Shahri Buzurg;
Kahmard=Bamyan|Kahmard; Sayghan=Bamyan|Sayghan; Shibar=Bamyan|Shibar;
Yakawlang=Bamyan|Yakawlang; Panjab=Bamyan|Panjab; Waras=Bamyan|Waras;
Nili=Daykundi|Nili; Gizab=Daykundi|Gizab; Kijran=Daykundi|Kajran; Khadir=Daykundi|Khadir;
Miramor=Daykundi|Miramor; Shahristan=Daykundi|Shahristan; Ishtarlay=Daykundi|Ishtarlay;
Bazarak=Panjshir|Bazarak; Rukha=Panjshir|Rukha; Paryan=Panjshir|Paryan;
Shutul=Panjshir|Shutul; Unaba=Panjshir|Unaba; Khenj=Panjshir|Khenj (Hisa-i-Awal);
Charikar=Parwan|Chaharikar; Bagram=Parwan|Bagram; Jabal Saraj=Parwan|Jabalussaraj;
Ghorband=Parwan|Sia Gird (Ghorbund); Sayd Khel=Parwan|Sayd Khel; Salang=Parwan|Salang;
Kohi Safi=Parwan|Kohi Safi; Shinwari=Parwan|Shinwari;
Mahmud Raqi=Kapisa|Mahmudi Raqi; Nijrab=Kapisa|Nijrab; Alasay=Kapisa|Alasay;
Koh Band=Kapisa|Koh Band
"""


def _table() -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {p: (p, None) for p in PROVINCES.split()}
    out["Sar-e Pol"] = ("Sar-e Pol", None)
    del out["Sar-e"], out["Pol"]
    for item in _TABLE.replace("\n", " ").split(";"):
        if not item.strip():
            continue
        surface, where = (s.strip() for s in item.split("="))
        prov, _, dist = where.partition("|")
        out[surface] = (prov, dist or None)
    return out


PLACES = _table()
PROVINCE_SET = set(PROVINCES.split()) | {"Sar-e Pol"}
PROVINCE_SET.discard("Sar-e")
PROVINCE_SET.discard("Pol")
_MARK = re.compile(r"\[([^\]|]+)(?:\|([^\]]*))?\]|\{([^}]+)\}")
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_KEYS = {
    "k": "killed", "kq": "killed_qualifier", "kl": "killed_low", "kh": "killed_high",
    "w": "wounded", "wq": "wounded_qualifier", "c": "casualties", "d": "displaced_families",
    "dq": "displaced_qualifier",
}  # fmt: skip


def _where(spec: str) -> tuple[str, str | None, str | None]:
    """(name, province, district) of "Achin" or "Nawa|Ghazni|Nawa"; province None: foreign."""
    name, *rest = (s.strip() for s in spec.split("|"))
    if rest == ["F"]:
        return name, None, None
    if rest:
        dist = rest[1] if len(rest) > 1 and rest[1] != "-" else None
        return name, rest[0], dist
    if name not in PLACES:
        raise SystemExit(f"unknown place {name!r}: add it to PLACES or give it inline")
    return name, *PLACES[name]


def _date(when: str, published: dt.date) -> tuple[str, str | None]:
    if when in _DAYS:
        back = (published.weekday() - _DAYS.index(when)) % 7 or 7
        return (published - dt.timedelta(days=back)).isoformat(), None
    if re.fullmatch(r"-?\d", when):
        return (published + dt.timedelta(days=int(when))).isoformat(), None
    if when == "lastweek":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    return dt.date.fromisoformat(when).isoformat(), None


def _passage(head: str, lines: list[str]) -> dict[str, object]:
    pid, published, *kinds = head.split()
    day = dt.date.fromisoformat(published)
    body = [x for x in lines if not x.startswith("@")]
    raw = " ".join(x.strip() for x in body).replace(" ¶ ", "\n\n").strip()
    text, places, not_places, pos = "", [], [], 0
    for m in _MARK.finditer(raw):
        text += raw[pos : m.start()]
        surface = m.group(1) or m.group(3)
        start = len(text)
        text += surface.split("|")[0]
        if m.group(3):
            not_places.append({"start": start, "end": len(text), "text": surface})
        else:
            spec = surface + (f"|{m.group(2)}" if m.group(2) is not None else "")
            name, prov, dist = _where(spec)
            places.append(
                {"start": start, "end": len(text), "text": name, "name": dist or prov or name,
                 "province": prov, "district": dist, "foreign": prov is None}
            )  # fmt: skip
        pos = m.end()
    text += raw[pos:]
    incidents = []
    for line in lines:
        if not line.startswith("@"):
            continue
        when, spec, *figs = (s.strip() for s in line[1:].split(";"))
        name, prov, dist = _where(spec)
        date, end = _date(when, day)
        inc: dict[str, object] = {"date": date, "place": name, "province": prov, "district": dist}
        inc.update(dict.fromkeys(_KEYS.values()))
        for fig in filter(None, figs):
            key, value = (s.strip() for s in fig.split("=", 1))
            if key == "end":
                end = _date(value, day)[0]
            elif key.endswith("q"):
                inc[_KEYS[key]] = value
            else:
                inc[_KEYS[key]] = int(value)
        if end:
            inc["date_end"] = end
        incidents.append(inc)
    out = {"id": pid, "published": published, "text": text, "kinds": kinds, "places": places}
    if not_places:
        out["not_places"] = not_places
    out["incidents"] = incidents
    return out


def build(source: Path = SOURCE) -> list[dict[str, object]]:
    passages, head, lines = [], None, []
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("== "):
            if head:
                passages.append(_passage(head, lines))
            head, lines = line[3:], []
        else:
            lines.append(line)
    if head:
        passages.append(_passage(head, lines))
    return passages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="annotated source")
    parser.add_argument("--out", type=Path, default=TARGET, help="JSON Lines to write")
    args = parser.parse_args(argv)
    passages = build(args.source)
    with args.out.open("w", encoding="utf-8") as f:
        for p in passages:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(passages)} passages -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
