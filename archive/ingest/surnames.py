"""How surnames are read, for sorting names in pinyin order (plain Python, no Django).

pypinyin 0.55 reads a character as a word, and has no surname mode (its `Style`s
only change how a reading is written; nothing in it knows 姓), so 曾庆红 comes out céng,
单霁翔 dān and 解振华 jiě; no maintained package on PyPI has a surname table. The readings
below are the ones 《现代汉语词典》 gives for these characters as surnames (its 姓 senses),
written down by hand for the characters whose surname reading is not pypinyin's
everyday one, in pypinyin's TONE3 spelling so both sort together. A surname that reads
as pypinyin reads it needs no entry.
"""
from __future__ import annotations

# Compound surnames first: read as a pair (尉迟 yùchí, 万俟 mòqí, 单于 chányú).
COMPOUND_READINGS = {
    "尉迟": "yu4 chi2", "万俟": "mo4 qi2", "单于": "chan2 yu2", "长孙": "zhang3 sun1",
    "澹台": "tan2 tai2", "令狐": "ling2 hu2", "皇甫": "huang2 fu3", "欧阳": "ou1 yang2",
    "上官": "shang4 guan1", "司马": "si1 ma3", "诸葛": "zhu1 ge3", "宇文": "yu3 wen2",
    "夏侯": "xia4 hou2", "东方": "dong1 fang1", "公孙": "gong1 sun1", "慕容": "mu4 rong2",
    "司徒": "si1 tu2", "钟离": "zhong1 li2", "南宫": "nan2 gong1", "呼延": "hu1 yan2",
}
SINGLE_READINGS = {
    "曾": "zeng1", "单": "shan4", "仇": "qiu2", "解": "xie4", "覃": "qin2", "区": "ou1",
    "查": "zha1", "朴": "piao2", "尉": "wei4", "盖": "ge3", "乐": "yue4", "缪": "miao4",
    "翟": "zhai2", "华": "hua4", "种": "chong2", "燕": "yan1", "纪": "ji3", "薄": "bo2",
    "阚": "kan4", "召": "shao4", "员": "yun4", "祭": "zhai4", "句": "gou1", "能": "nai4",
    "繁": "po2", "过": "guo1", "任": "ren2", "隗": "wei3", "折": "she2", "秘": "bi4",
    "相": "xiang4", "都": "du1", "长": "chang2", "莘": "shen1", "角": "jue2", "佴": "nai4",
    "谌": "chen2", "郇": "huan2", "洗": "xian3",
}
# A Chinese name is a surname and one or two characters (two or three after a compound);
# longer names and names with a dot (查尔斯, 汤马索·姜尼拉) are transcriptions, read as written.
_MAX_GIVEN = 2


def surname_reading(name: str) -> tuple[str, int]:
    """(TONE3 reading, length) of the surname a Chinese name starts with; ("", 0) when
    the name is not shaped like a Chinese name or its surname reads as pypinyin reads it."""
    if "·" in name or "•" in name:
        return "", 0
    pair = COMPOUND_READINGS.get(name[:2])
    if pair and 3 <= len(name) <= 2 + _MAX_GIVEN:
        return pair, 2
    single = SINGLE_READINGS.get(name[:1])
    if single and 2 <= len(name) <= 1 + _MAX_GIVEN:
        return single, 1
    return "", 0


def sort_key(name: str) -> str:
    """Syllables with tone numbers, space-separated, the surname read as a surname."""
    from pypinyin import Style, lazy_pinyin

    reading, length = surname_reading(name)
    rest = lazy_pinyin(name[length:], style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(([reading] if reading else []) + rest).lower()
