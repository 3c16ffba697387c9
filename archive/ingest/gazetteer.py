"""The districts of Zhengzhou with the other names the papers print for them.

This list seeds the District table (migration 0002); after that the table, which
admin can edit, is the authority and the loader passes its rows to the parser.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DistrictName:
    name: str
    slug: str
    kind: str  # 功能区, 市辖区, 县级市, 县
    aliases: tuple[str, ...] = field(default_factory=tuple)


ZHENGZHOU = (
    DistrictName("郑东新区", "zhengdong", "功能区", ("郑州郑东新区", "东区", "郑东")),
    DistrictName("高新区", "gaoxin", "功能区",
                 ("郑州高新区", "郑州高新技术产业开发区", "高新技术产业开发区", "郑州高新")),
    DistrictName("经开区", "jingkai", "功能区",
                 ("郑州经开区", "郑州经济技术开发区", "经济技术开发区")),
    DistrictName("航空港区", "hangkonggang", "功能区",
                 ("郑州航空港区", "郑州航空港经济综合实验区", "航空港经济综合实验区", "航空港实验区")),
    DistrictName("中原区", "zhongyuan", "市辖区"),
    DistrictName("二七区", "erqi", "市辖区"),
    DistrictName("管城回族区", "guancheng", "市辖区", ("管城区",)),
    DistrictName("金水区", "jinshui", "市辖区"),
    DistrictName("上街区", "shangjie", "市辖区"),
    DistrictName("惠济区", "huiji", "市辖区"),
    DistrictName("中牟县", "zhongmou", "县", ("中牟",)),
    DistrictName("巩义市", "gongyi", "县级市", ("巩义",)),
    DistrictName("荥阳市", "xingyang", "县级市", ("荥阳",)),
    DistrictName("新密市", "xinmi", "县级市", ("新密",)),
    DistrictName("新郑市", "xinzheng", "县级市", ("新郑",)),
    DistrictName("登封市", "dengfeng", "县级市", ("登封",)),
)

# A district alias printed right after one of these is another city's zone
# (成都高新区, 武汉高新区), not Zhengzhou's.
OTHER_CITIES = (
    "北京", "上海", "天津", "重庆", "成都", "武汉", "苏州", "合肥", "宁波", "杭州", "南京",
    "深圳", "广州", "西安", "长沙", "济南", "青岛", "洛阳", "新乡", "开封", "许昌", "濮阳",
    "南阳", "安阳", "焦作", "平顶山", "商丘", "信阳", "周口", "驻马店", "漯河", "三门峡",
    "鹤壁", "厦门", "福州", "沈阳", "大连", "长春", "哈尔滨", "昆明", "贵阳", "南宁",
    "太原", "石家庄", "兰州", "乌鲁木齐", "无锡", "常州", "东莞", "佛山", "珠海",
)
