"""How surnames are read, for sorting names in pinyin order (plain Python, no Django).

pypinyin 0.55 reads a character as a word, and has no surname mode (its `Style`s
only change how a reading is written; nothing in it knows 姓; its maintainers leave the
question open, mozillazg/python-pinyin issues 120 and 297), so 曾庆红 comes out céng,
单霁翔 dān and 解振华 jiě; no package on PyPI has a surname table. The readings below are
the surname readings for the characters whose reading as a surname is not pypinyin's
everyday one, in pypinyin's TONE3 spelling so both sort together; a surname that reads
as pypinyin reads it needs no entry.

Source: the surname table of pinyin-pro (zh-lx/pinyin-pro, MIT, a maintained JavaScript
pinyin library with a surname mode; `packages/pinyin-pro/lib/data/surname.ts` of version
3.29.3, last changed 22 July 2026), checked entry by entry against pypinyin: every reading
here agrees with it, and the 19 where it reads a surname otherwise than pypinyin and this
table had no entry were added (葛 gě, 卜 bǔ, 宁 nìng, 肖 xiāo, 那 nā, 乜 niè, 哈 hǎ, 於 yū,
干 gān, 六 lù, 甯 nìng, 要 yāo, 撒 sǎ; 乐正, 子车, 夹谷, 宰父, 段干, 句龙). Nine single
surnames and 单于 are not in its table and stay as 《现代汉语词典》 reads them as
surnames (尉 wèi, 种 chóng, 祭 zhài, 秘 bì, 长 cháng, 角 jué, 佴 nài, 郇 huán, 洗 xiǎn).
"""
from __future__ import annotations

# Compound surnames first: read as a pair (尉迟 yùchí, 万俟 mòqí, 单于 chányú).
COMPOUND_READINGS = {
    "尉迟": "yu4 chi2", "万俟": "mo4 qi2", "单于": "chan2 yu2", "长孙": "zhang3 sun1",
    "澹台": "tan2 tai2", "令狐": "ling2 hu2", "皇甫": "huang2 fu3", "欧阳": "ou1 yang2",
    "上官": "shang4 guan1", "司马": "si1 ma3", "诸葛": "zhu1 ge3", "宇文": "yu3 wen2",
    "夏侯": "xia4 hou2", "东方": "dong1 fang1", "公孙": "gong1 sun1", "慕容": "mu4 rong2",
    "司徒": "si1 tu2", "钟离": "zhong1 li2", "南宫": "nan2 gong1", "呼延": "hu1 yan2",
    "乐正": "yue4 zheng4", "子车": "zi3 ju1", "夹谷": "jia2 gu3", "宰父": "zai3 fu3",
    "段干": "duan4 gan1", "句龙": "gou1 long2",
}
SINGLE_READINGS = {
    "曾": "zeng1", "单": "shan4", "仇": "qiu2", "解": "xie4", "覃": "qin2", "区": "ou1",
    "查": "zha1", "朴": "piao2", "尉": "wei4", "盖": "ge3", "乐": "yue4", "缪": "miao4",
    "翟": "zhai2", "华": "hua4", "种": "chong2", "燕": "yan1", "纪": "ji3", "薄": "bo2",
    "阚": "kan4", "召": "shao4", "员": "yun4", "祭": "zhai4", "句": "gou1", "能": "nai4",
    "繁": "po2", "过": "guo1", "任": "ren2", "隗": "wei3", "折": "she2", "秘": "bi4",
    "相": "xiang4", "都": "du1", "长": "chang2", "莘": "shen1", "角": "jue2", "佴": "nai4",
    "谌": "chen2", "郇": "huan2", "洗": "xian3",
    "葛": "ge3", "卜": "bu3", "宁": "ning4", "肖": "xiao1", "那": "na1", "乜": "nie4",
    "哈": "ha3", "於": "yu1", "干": "gan1", "六": "lu4", "甯": "ning4", "要": "yao1", "撒": "sa3",
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
