"""The splitter on layouts the seeds do not show: crafted page text, one cause of a split or merge each.

Plain functions on page text (archive.ingest.structure); no database.
"""
from archive.ingest.bylines import parse_byline
from archive.ingest.structure import split_page

FLOOD = ("本报讯 近日，郑州市召开防汛工作会议，部署今年的防汛抗旱工作。会议要求各区县落实防汛责任，"
         "检查河道堤防，储备防汛物资，确保安全度汛。")
FLOOD_MORE = "会议指出，防汛工作关系群众生命财产安全，各级干部要守土有责，汛期坚持值班。"
SCHOOL = ("新华社北京１月５日电 教育部今天公布，全国中小学今年将新建图书室两万个，"
          "为农村学校配送图书一千万册，并培训乡村教师十万人次。")
SCHOOL_MORE = "教育部有关负责人说，农村学校图书室建设将纳入各地督导评估。"


def texts(articles):
    return ["".join(a.paragraphs) for a in articles]


def test_dateline_after_the_usual_gap_opens_a_headline_after_article():
    """Paragraphs one blank line apart: a dateline with new words after them starts the next article."""
    page = f"郑州部署防汛工作\n\n{FLOOD}\n\n{FLOOD_MORE}\n\n{SCHOOL}\n\n{SCHOOL_MORE}\n\n农村学校将建两万个图书室\n"
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["郑州部署防汛工作", "农村学校将建两万个图书室"]
    assert texts(articles)[1].startswith("新华社北京１月５日电")


def test_reports_under_one_headline_stay_one_article():
    """A second dateline whose report the headline above also covers is part of the package."""
    page = (f"郑州部署防汛工作 教育部公布图书室建设计划\n\n{FLOOD}\n\n{SCHOOL}\n\n{SCHOOL_MORE}\n\n"
            "另一篇稿件\n\n本报讯 这是另一篇稿件的正文，讲的是别的事情。\n")
    articles, _ = split_page(page)
    assert texts(articles)[0].endswith(SCHOOL_MORE)


def test_headline_printed_after_runs_into_the_next_heading():
    """A headless article's headline set just above the next article's heading block goes back to it."""
    page = (f"{FLOOD}\n{FLOOD_MORE}\n\n\n聚焦民生\n郑州部署防汛工作\n\n\n关注\n农村学校将建两万个图书室\n\n\n"
            f"{SCHOOL}\n{SCHOOL_MORE}\n")
    articles, _ = split_page(page)
    assert [(a.kicker, a.headline) for a in articles] == [("聚焦民生", "郑州部署防汛工作"),
                                                          ("关注", "农村学校将建两万个图书室")]


def test_list_under_a_kicker_and_headline_is_their_deck():
    """Kicker, headline and three ● items under another article's headline are one heading, not a list of text."""
    page = (f"{FLOOD}\n{FLOOD_MORE}\n\n\n郑州部署防汛工作\n\n\n"
            "关注\n农村学校将建两万个图书室\n●新建图书室两万个\n●配送图书一千万册\n●培训乡村教师十万人次\n\n"
            f"{SCHOOL}\n{SCHOOL_MORE}\n")
    first, article = split_page(page)[0]
    assert first.headline == "郑州部署防汛工作"
    assert (article.kicker, article.headline) == ("关注", "农村学校将建两万个图书室")
    assert article.subheadline.count("●") == 3 and texts([article])[0].startswith("新华社")


def test_byline_like_line_inside_a_bracket_is_text():
    """A narrow column that wraps a dateline's reporters note does not close the article there."""
    page = ("驻京部队官兵座谈新剧\n\n新华社北京１月１０日电（解放军\n报记者陈大鹏、新华社记者周志方\n"
            "）受总政治部委托，今天上午，驻京部\n队官兵代表座谈观看新剧的体会。\n")
    (article,), _ = split_page(page)
    assert texts([article])[0].endswith("座谈观看新剧的体会。")


def test_byline_under_the_text_closes_an_article_with_a_byline_above():
    """本报评论员 above the text and 记者　X under it: one article, then the next headline opens another."""
    page = (f"本报评论员\n\n{FLOOD}\n{FLOOD_MORE}\n记者　周洁\n\n\n农村学校将建两万个图书室\n\n"
            f"{SCHOOL}\n{SCHOOL_MORE}\n")
    articles, _ = split_page(page)
    assert len(articles) == 2 and articles[0].reporters == ["周洁"]
    assert (articles[1].headline, articles[1].headline_derived) == ("农村学校将建两万个图书室", False)


def test_byline_set_solid_on_the_text_below_heads_it():
    """One blank line above, none below: the byline opens the next text though the page's usual gap is one line."""
    page = (f"郑州部署防汛工作\n\n{FLOOD}\n\n{FLOOD_MORE}\n\n新华社记者赵金川\n{SCHOOL}\n{SCHOOL_MORE}\n")
    articles, _ = split_page(page)
    assert len(articles) == 2 and articles[1].reporters == ["赵金川"]
    assert texts(articles)[0].endswith(FLOOD_MORE)


def test_byline_set_with_justification_spaces():
    """本 报 驻 俄 罗 斯 记 者 刘 刚 is a byline, not a second headline."""
    page = ("线装珍本传友情\n\n\n　 　 本 报 驻 俄 罗 斯 记 者 刘 刚\n"
            "１月４日，本应是俄罗斯的严冬寒日，但这一天莫斯科却洋溢着春天的气息。\n")
    (article,), _ = split_page(page)
    assert (article.headline, article.reporters) == ("线装珍本传友情", ["刘刚"])


def test_column_lines_running_into_text_are_text():
    """Four heading-like lines of one length set solid on text are a narrow column's, not a headline."""
    column = ["　　美国电子产品制造商近日与联邦环", "保局达成协议，今后将逐步推广具有环",
              "保概念的电视机和录像机使机器在等待", "开启状态下耗电不超过３—４瓦，以便",
              "减少居室二氧化碳排放量。"]
    page = f"郑州部署防汛工作\n\n{FLOOD}\n记者　周洁\n\n" + "\n".join(column) + "\n\n节能环保电视机\n"
    articles, _ = split_page(page)
    assert texts(articles)[1].startswith("美国电子产品制造商") and articles[1].headline == "节能环保电视机"


def test_photo_credit_ends_a_caption_not_the_article():
    """（新华社记者X摄） after an opening caption leaves the article open for its text."""
    page = ("激动人心的时刻\n\n１月１日，中国驻南非大使馆开馆。这是开馆仪式上升国旗。（新华社记者李学仁摄）\n"
            "１９９８年１月１日上午９时，中华人民共和国驻南非大使馆举行开馆仪式，使馆全体人员出席。\n")
    (article,), _ = split_page(page)
    assert texts([article])[0].endswith("使馆全体人员出席。")


def test_special_correspondent_is_a_byline():
    """本报特派记者X names a reporter like 本报特约记者X."""
    assert parse_byline("本报特派记者尹树广").reporters == ["尹树广"]


def test_trailing_headline_matches_its_articles_opening():
    """A headline printed after a long article repeats its first sentences, not its last ones."""
    tail = "".join(f"第{n}段讲的是另外的细节，与标题无关的叙述占了很多篇幅。" for n in range(1, 45))
    page = (f"{SCHOOL}\n\n{tail}\n\n农村学校将建两万个图书室\n\n郑州部署防汛工作\n\n{FLOOD}\n\n{FLOOD_MORE}\n")
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["农村学校将建两万个图书室", "郑州部署防汛工作"]


def test_justified_last_line_ends_the_article():
    """A last line set with justification spaces still ends a sentence, so a headline may follow it."""
    page = (f"郑州部署防汛工作\n\n{FLOOD}\n{FLOOD_MORE}\n汛 期 坚 持 值 班 。 （ 谢 孝 汉 ）\n\n\n"
            f"农村学校将建两万个图书室\n\n\n{SCHOOL}\n{SCHOOL_MORE}\n")
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["郑州部署防汛工作", "农村学校将建两万个图书室"]


def test_interview_question_is_not_a_headline():
    """问：…？ set on its own line with blank lines round it is the interview's text."""
    page = ("和平是国家最大成就——访塔吉克斯坦民族和解委员会主席努里\n\n"
            "本报讯 年初的杜尚别，雨雪霏霏，水雾漫天。记者如约赶到时，主人已在门口等候多时。\n\n"
            "问：作为和平事业的推动者，您想对中国人民说些什么？\n\n"
            "答：我想对中国人民说，感谢中国政府和中国人民的支持。\n")
    (article,), _ = split_page(page)
    assert article.paragraphs[-1].startswith("答：")


def test_byline_under_a_standfirst_that_runs_on_heads_the_rest():
    """A standfirst ending ———（附图片１张）, then 本报记者X, then the report: one article, its byline X."""
    page = ("岁月如歌\n\n梁军是新中国的第一个女拖拉机手，她的事迹曾经鼓舞成千上万的青年，如今她过着平静而温馨的日子———（附图片１张）\n\n"
            "本报记者董伟\n\n梁军已经老了。花白的头发，臃肿的身体，无法找回当年的风采。\n\n"
            "元月４日，记者如约来到哈尔滨市梁军的家里。这是一个普通的家。\n")
    (article,), _ = split_page(page)
    assert article.reporters == ["董伟"] and texts([article])[0].endswith("这是一个普通的家。")


def _column(text, width=14):
    return "\n".join(text[k:k + width] for k in range(0, len(text), width))


def test_closing_quote_wrapped_onto_its_own_line_ends_the_sentence():
    """…也不会变。 / ” : the article has ended, so the headline below opens the next one."""
    quote = ("天津武清县史各庄镇的农民承包了河西医院。院长说：“医院与卫生局的行政隶属关系不变，"
             "它的国有资产的性质不变，为社区卫生义务服务的性质也不会变。")
    page = f"天津农民进城包医院\n\n{_column(quote)}\n”\n\n郑州部署防汛工作\n\n{_column(FLOOD[4:])}\n"
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["天津农民进城包医院", "郑州部署防汛工作"]


def test_justified_note_wrapped_over_two_lines_ends_the_article():
    """结 晶 。 （ 龙 晓 / 勤刘洋）, then a wide gap and 本报讯: two articles."""
    first = "四川金口河区地处少数民族偏远山区，近年来军民共建“文明走廊”，峨金公路、大渡河大桥等工程就是"
    second = "作为党的组织部门，如何在扶贫工作中充分发挥组织保证作用？山西省运城地委组织部为此进行了有益的探索。"
    page = (f"金口河区构建“文明走廊”\n\n本报讯{_column(first)}\n厂 地 、 军 地 情 谊 的 结 晶 。 （ 龙 晓\n"
            f"勤刘洋）\n\n\n\n本报讯{_column(second)}\n")
    articles, _ = split_page(page)
    assert texts(articles)[0].endswith("（龙晓勤刘洋）") and texts(articles)[1].startswith("本报讯作为")


def test_agencies_news_opens_an_article_as_a_dateline():
    """综合本报和新华社消息： after a wide gap opens an article, however a column break cuts its line."""
    page = (f"郑州部署防汛工作\n\n{FLOOD}\n\n\n\n综合本报和新华社消息：社会各界纷纷伸出援助之\n\n\n\n"
            "手，向灾区捐款捐物。截至１３日早晨，张家口市灾区共收到捐献救灾款３０００万元。\n\n"
            "社会各界踊跃捐赠\n")
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["郑州部署防汛工作", "社会各界踊跃捐赠"]
    assert texts(articles)[1].startswith("综合本报和新华社消息：")


def test_headline_may_open_with_an_abbreviated_year():
    """’９７… opens a headline: the apostrophe abbreviates a year, it closes no quotation."""
    page = (f"郑州部署防汛工作\n\n{FLOOD}\n\n\n’９７世界航天十大新闻评出\n\n"
            "本报讯 １９９７年世界十大航天科技新闻评选日前揭晓，全年航天发射超过１００次。\n")
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["郑州部署防汛工作", "’９７世界航天十大新闻评出"]


def test_column_paragraph_over_a_byline_is_a_standfirst_not_a_heading():
    """Four lines of a narrow column set solid over 本报记者X are the article's first paragraph."""
    standfirst = "杭州西湖电子集团有限公司研制生产的我国第一代全数字彩电最近投放市场，熊猫数字彩电不久也将面世———（附图片１张）"
    report = ("去年１２月１６日，第二届全国电子新产品、新技术展览交易会西湖电子集团展厅，一台从正面看类似背投影"
              "电视的７４厘米“全数字”彩电，吸引了众多观众。数字彩电在清晰度、透亮性、层次感上确实高出一筹。")
    page = f"国产数字彩电来了\n\n{_column(standfirst)}\n本报记者王政\n{_column(report)}\n"
    (article,), _ = split_page(page)
    assert article.headline == "国产数字彩电来了" and texts([article])[0].startswith("杭州西湖电子集团")


def test_headline_with_commas_over_a_byline():
    """A long headline of three clauses, set apart over 本报记者X and the text, is the headline."""
    page = ("联查『威绿达』——查了三户都不合格，旧米充新米，缺斤又短两\n\n本报记者赵志文\n\n"
            "元旦前后，市场更加繁荣。一些不法商贩也趁机掺杂使假、缺斤短两，坑害顾客。\n")
    (article,), _ = split_page(page)
    assert article.headline == "联查『威绿达』——查了三户都不合格，旧米充新米，缺斤又短两"
    assert article.reporters == ["赵志文"]


def test_line_opening_with_a_clause_of_time_is_not_a_headline():
    """去年１２月３０日上午，… cut off by a column break opens a lead sentence, not an article."""
    page = ("郑州部署防汛工作\n\n本报记者赵志文\n\n"
            "元旦前后，市场更加繁荣。一些不法商贩也趁机掺杂使假、缺斤短两，坑害顾客。\n\n"
            "去年１２月３０日上午，北京市技术监督\n\n"
            "局、朝阳区技术监督局及二者所属的执法大队，对朝外六里屯地区的粮食批发市场进行了联合突击检查。\n\n"
            "检查组来到业主赵敬臣的门店。其弟赵敬忠称赵外出。\n")
    (article,), _ = split_page(page)
    assert article.paragraphs[1].startswith("去年１２月３０日上午，北京市技术监督局、")


def test_caption_over_a_report_goes_with_it_when_the_headline_after_repeats_it():
    """图为…, a wide gap, 本报北京…讯 and the headline printed after them: one article, caption first."""
    page = ("图为当选亚洲十佳的邓亚萍与黄金宝亲切交谈。（本报记者王霞光摄）\n\n\n\n"
            "本报北京１月１６日讯 金鹏杯１９９７年度亚洲十佳运动员评选今天在北京揭晓，邓亚萍等当选。\n\n"
            "颁奖仪式由国家体委主任袁伟民主持。\n\n金鹏杯亚洲十佳运动员评选揭晓（附图片１张）\n\n\n"
            f"{FLOOD}\n\n{FLOOD_MORE}\n\n郑州部署防汛工作\n")
    articles, _ = split_page(page)
    assert [a.headline for a in articles] == ["金鹏杯亚洲十佳运动员评选揭晓", "郑州部署防汛工作"]
    assert texts(articles)[0].startswith("图为当选") and articles[0].photographers == ["王霞光"]


def test_headline_trailing_off_over_a_byline():
    """郑州我怎么对你说……（附图片１张） over 本报记者X: a headline that trails off, with a photo."""
    page = ("郑州我怎么对你说……（附图片１张）\n\n本报记者王慧敏\n\n"
            "游子对于家乡，自然有着一种特殊的感情。本人祖籍河南，近几年多次出差路过郑州。\n")
    (article,), _ = split_page(page)
    assert (article.headline, article.photo, article.reporters) == ("郑州我怎么对你说……", True, ["王慧敏"])
