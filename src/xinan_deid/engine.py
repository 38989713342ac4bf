"""The de-identification engine: rules, gazetteers and a word-frequency model.

Every detector works on a *normalised* copy of the text in which full-width
ASCII (０-９, Ａ-Ｚ, ＠, （ ）…) is mapped one-to-one onto ASCII, so the
offsets found there are offsets into the original text as well.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import gazetteer as gz
from .gazetteer import words
from .model import NameModel, shared_model
from .replacements import plan_replacements
from .resources import Resources, load_resources
from .types import Flag, Kind, Severity

CJK = "\u4e00-\u9fff"
_NORMALISE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_NORMALISE.update({0x3000: 0x20, 0x2014: 0x2D, 0x2013: 0x2D, 0x2012: 0x2D, 0x2010: 0x2D, 0x2212: 0x2D})

# Overlap resolution: the higher tier wins, then the longer span.
_TIER = {
    Kind.EMAIL: 5,
    Kind.ID_NUMBER: 5,
    Kind.QQ: 5,
    Kind.WECHAT: 5,
    Kind.PHONE: 4,
    Kind.STUDENT_NUMBER: 4,
    Kind.DATE: 3,
    Kind.SCHOOL: 2,
    Kind.HOSPITAL: 2,
    Kind.DEPARTMENT: 2,
    Kind.GRADE_CLASS: 2,
    Kind.ADDRESS: 2,
    Kind.PERSON_NAME: 1,
    Kind.NICKNAME: 1,
    Kind.TEACHER_TITLE: 1,
}

REASONS = {
    "person_name": "疑似真实姓名，请改用化名并注明“（化名）”",
    "person_given": "疑似真实姓名中的名字部分（与文中姓名对应），请一并改用化名",
    "person_cue": "上下文表明这是人名（如“名叫”“同学”），请改用化名",
    "nickname": "带姓氏或名字的昵称可指向真实身份；若已是化名，请在首次出现处注明“（化名）”",
    "teacher_title": "姓氏加职务的称呼（如“王老师”），风险较低，可保留或更换姓氏",
    "school": "具体学校名称可识别当事人，请改为“某大学”“某中学”等",
    "school_abbr": "学校简称可识别当事人，请改为“某大学”等",
    "department": "具体院系或专业可识别当事人，请改为“某学院”“某专业”",
    "grade_class": "具体年级、班级或入学年份可识别当事人，请改为“某年级某班”",
    "grade_only": "年级信息，单独出现风险较低，必要时可模糊处理",
    "address_precise": "具体住址（街道、小区、门牌等），必须删除或改为“某地”",
    "address_area": "区县、乡镇一级的地名，可缩小识别范围，建议改为“某地”",
    "address_city": "省市地名，单独出现风险较低，必要时可改为“某地”",
    "hospital": "具体医院名称可识别当事人，请改为“某医院”",
    "phone": "电话号码属于个人敏感信息，必须删除",
    "id_number": "身份证号码属于个人敏感信息，必须删除",
    "id_number_bad": "疑似身份证号码（校验位不符，可能有笔误），必须删除",
    "student_number": "学号属于可识别个人的信息，必须删除",
    "long_number": "疑似学号、证件号或其他编号，建议删除",
    "qq": "QQ号属于可识别个人的信息，必须删除",
    "wechat": "微信号属于可识别个人的信息，必须删除",
    "email": "电子邮箱属于可识别个人的信息，必须删除",
    "date_full": "精确到日的日期可识别事件和当事人，建议改为“某日”或相对时间",
    "date_partial": "较具体的日期，风险较低，必要时可改为相对时间",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a string is taken as a person's name in a document, and where that was seen."""

    surname: str
    given: str
    cue: str  # in words for the author: 前有“室友”, 语言模型 …
    at: int  # offset of the occurrence that established it
    model: bool = False  # the learned tagger sees this name too (or alone)


def _reason_here(ev: Evidence) -> str:
    return f"{REASONS['person_name']}（依据：{ev.cue}）"


def _reason_elsewhere(t: str, name: str, ev: Evidence) -> str:
    line = t.count("\n", 0, ev.at) + 1
    return f"文中第{line}行已确认“{name}”是人名（依据：{ev.cue}），此处同为此人，请一并改用化名"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    kind: Kind
    severity: Severity
    reason: str
    # Extra facts the replacement planner needs (surname, given name, suffix …).
    info: dict = field(default_factory=dict)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- number-like patterns (run on the normalised text) -----------------------

# The local part starts where its run starts (see _HOUSE_NUMBER_RE: otherwise a long run of
# letters or digits with no "@" costs time quadratic in its length).
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_ID18_RE = re.compile(r"(?<![0-9A-Za-z])\d{6} ?\d{4} ?\d{4} ?\d{3}[0-9Xx](?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
_SEP = r"[ \-.·]{0,2}"
_MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)\s?86[ \-]*|\(\+?86\)\s*|86[ \-]+)?"
    r"1[3-9]\d" + "".join(_SEP + r"\d" for _ in range(8)) + r"(?!\d)"
)
_LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)\s?86[ \-]*)?(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?"
    r"(?:\d{3,4}[ \-]?\d{4}|\d{4}[ \-]\d{3})(?:(?:转|-|ext\.?)\d{1,5})?(?!\d)"
)
_QQ_RE = re.compile(r"(?:QQ|qq|Qq|扣扣)\s*(?:号码|号|账号)?\s*(?:[:是为]\s*)?[(\[]?\s*(\d{5,11})(?!\d)")
_WECHAT_RE = re.compile(
    r"(?:微信号|微信账号|微信ID|微信id|微信|vx|VX|Vx|wx|WX|wechat|WeChat|Wechat)\s*(?:号)?\s*(?:[:是为]\s*)?[(\[]?\s*"
    r"([A-Za-z][\-_A-Za-z0-9]{5,19}|\d{5,11})(?![\-_A-Za-z0-9])"
)
_WXID_RE = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_]{4,30}")
_STUDENT_NO_RE = re.compile(
    r"(?:学号|学籍号|学生证号|学生证|准考证号|考号|工号|校园卡号|一卡通号|借书证号)\s*(?:是|为|:)?\s*"
    r"([A-Za-z]{0,3}\d{4,14})(?![0-9])"
)
_LONG_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{7,}(?![0-9])")

_CN_NUM = "〇零一二三四五六七八九十"
_DATE_FULL_RES = (
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
    re.compile(r"(?<![\d.\-/])(?:19|20)\d{2}([\-/.])(\d{1,2})\1(\d{1,2})(?![\d.\-/])"),
    re.compile(rf"[{_CN_NUM}]{{4}}年[{_CN_NUM}]{{1,2}}月[{_CN_NUM}]{{1,3}}[日号]"),
    # 23年9月26号: a year written with two digits.
    re.compile(r"(?<![\d.\-/])\d{2}\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
)
_DATE_PARTIAL_RES = (
    re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
    re.compile(r"(?<![一二三四五六七八九十年])[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月(?![\d份])"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月份"),
)

# --- grades and classes ------------------------------------------------------

_NUM = r"[\d一二三四五六七八九十]{1,3}"
_GRADE_CLASS_RES = (
    re.compile(rf"(?:高|初)[一二三]\s*(?:\(\s*{_NUM}\s*\)|{_NUM})\s*班"),
    re.compile(rf"{_NUM}\s*年级\s*(?:\(\s*{_NUM}\s*\)|{_NUM})\s*班"),
    re.compile(rf"(?<!\d)(?:19|20)?\d{{2}}\s*级[{CJK}A-Za-z]{{0,12}}?{_NUM}\s*班"),
    re.compile(rf"(?:{_alternation(gz.SUBJECTS)})\s*(?:\(\s*{_NUM}\s*\)|\d{{1,2}})\s*班"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*级"),
    re.compile(rf"(?<![\d年])\d{{2}}级(?=[{CJK}])"),
    re.compile(rf"(?<![{CJK}\d]){_NUM}班(?![{CJK}])|(?<=[某该本])\S{{0,3}}?{_NUM}班"),
    # 是五班的班主任, 致五班全体家长: a class by its number, after a linking word.
    re.compile(r"(?<=[是在致到给从])[一二三四五六七八九十\d]{1,2}班(?=的|全体|同学|学生|班主任|家长|[,。;\s]|$)"),
)
_GRADE_ONLY_RE = re.compile(
    r"(?:大[一二三四五]|研[一二三]|博[一二三四]|高[一二三]|初[一二三]|[一二三四五六]年级)"
    r"(?![点些样定切般直旦起同致中生物级届]|[下上](?!学期))"
)

# --- organisations and places ------------------------------------------------

_SCHOOL_SUFFIXES = words(
    "职业技术学院 职业学院 高等专科学校 专科学校 师范学院 师范大学 理工大学 科技大学 医科大学 附属中学 "
    "附属小学 附属实验学校 实验中学 实验小学 实验学校 外国语学校 中等专业学校 职业高中 职业中学 技工学校 "
    "高级中学 中学 小学 高中 初中 附中 附小 大学 学院 学校 中专 职高 技校"
)
_SCHOOL_SUFFIX_RE = re.compile(
    rf"(?:{_alternation(_SCHOOL_SUFFIXES)}|(?:第)?[一二三四五六七八九十\d]{{1,3}}中(?![心文国间期午年断止途央层等枢断华]|学(?!生)))"
    r"(?!生(?![命物态活])|派)"
)
_HOSPITAL_SUFFIXES = words(
    "精神卫生中心 心理卫生中心 精神病医院 精神病院 精神专科医院 人民医院 中医院 中西医结合医院 中心医院 "
    "儿童医院 妇幼保健院 康复医院 心理医院 脑科医院 附属医院 专科医院 医院 卫生院 诊所"
)
_HOSPITAL_SUFFIX_RE = re.compile(
    rf"(?:第[一二三四五六七八九十\d]{{1,3}})?(?:{_alternation(_HOSPITAL_SUFFIXES)})"
)
_DEPARTMENT_RE = re.compile(
    rf"(?:{_alternation(gz.SUBJECTS)})(?:与(?:{_alternation(gz.SUBJECTS)}))?"
    r"(?:科学与工程|科学与技术|科学|工程|技术)?(?:学院|学系|学部|研究所|研究院|系|专业)(?![统列])"
)
_ADMIN_SUFFIXES = words(
    "壮族自治区 回族自治区 维吾尔自治区 自治区 自治州 自治县 特别行政区 特区 新区 地区 省 市 区 县 旗 盟 州"
)
_STREET_SUFFIXES = words(
    "大街 大道 街道 胡同 小区 花园 公寓 家园 新村 社区 大厦 路 街 巷 村 镇 乡 苑 里"
)
_STREET_SUFFIX_RE = re.compile(rf"(?:{_alternation(_STREET_SUFFIXES)})")
_ADMIN_SUFFIX_RE = re.compile(rf"(?:{_alternation(_ADMIN_SUFFIXES)})")
# A number starts only where its run of digits (or of Chinese numerals) starts: tried from
# inside a run, the greedy run backtracks through every shorter length, and a long run of
# digits with no suffix after it cost time quadratic in its length (30,000 digits: 40 s).
_HOUSE_NUMBER_RE = re.compile(
    r"(?:(?<!\d)\d+|(?<![一二三四五六七八九十百])[一二三四五六七八九十百]+)\s*(?:号楼|号院|号|栋|幢|座|单元|楼|层|室|户|弄|舍)"
    r"(?:\s*\d+\s*(?:号楼|号|栋|幢|座|单元|楼|层|室|户))*"
    # 9栋2单元1103, 12座2704, 八舍322: the room number after a building needs no 室.
    r"(?:(?<=[栋幢座元舍])\s*\d{3,4}(?![\d年月日届级班号]))?"
)
# A building on its own that identifies a home or a dormitory (17号楼, 3栋, 7号学生公寓).
# Each run starts where its digits start (as in the house numbers above): linear on a long run.
_BUILDING_RE = re.compile(
    r"(?:(?<!\d)\d+|(?<![一二三四五六七八九十])[一二三四五六七八九十]+)(?:号楼|栋|幢|号学生公寓|号公寓|号宿舍楼)"
)
# 逸夫楼, 文津楼: a building with a name of its own, after a place word or a field's colon.
_NAMED_BUILDING_RE = re.compile(
    rf"(?:(?<=[在到去进于:,、\s])|(?<=进入)|(?<=来到))([{CJK}]{{2}})楼(?![梯道下上顶层房主里前后外])"
)
# 罗阿姨, 林叔叔, 秦姐姐, 隋妈妈: a surname and a kinship word, how children and parents name adults.
_KIN_NICKNAME_RE = re.compile(rf"([{CJK}])(阿姨|叔叔|姐姐|哥哥|妈妈|爸爸|伯伯|阿婆|婶婶|大爷|大妈|奶奶|爷爷)")
# What may stand before such a nickname: a joining word, a role (宿管, 楼管), 的, 给, 和.
_KIN_LEFT_CHARS = frozenset("的给和跟与找对叫问陪管")
_KIN_LEFT_WORDS = ("亲爱的", "宿管", "楼管", "保洁", "食堂", "邻居", "隔壁")
# 牛牛妈, 可可爸爸: a child's doubled name and a parent, as parents name each other.
_DOUBLED_PARENT_RE = re.compile(rf"(?<![{CJK}])([{CJK}])\1(妈妈|爸爸|妈|爸|奶奶|爷爷)(?=[:,，：\s说])")
# A nickname the text names as one.
_NAMED_NICKNAME_RES = (
    re.compile(rf"(?:外号|绰号|昵称|小名)(?:叫|是|为)?[“‘\"']?(?P<nick>[{CJK}]{{2,3}})[”’\"']"),
    re.compile(rf"(?:都|就|便)叫(?:她|他)[“‘\"']?(?P<nick>[{CJK}]{{2,3}}?)(?=[”’\"'。，,；;！!]|$)"),
    re.compile(
        rf"(?:^|(?<=[。！？\n“\",，；;]))[“\"]?(?P<nick>[{CJK}]{{2,3}})[”\"]?是(?:我们|大家|同学们)?[{CJK}]{{0,8}}?"
        r"(?:起的|取的)(?:外号|绰号|昵称)",
        re.MULTILINE,
    ),
)
# 花江校区, 大学城校区, 北校区: a campus of a school.
_CAMPUS_RE = re.compile(rf"[{CJK}]{{1,4}}?校区")
_NOT_CAMPUS_HEADS = tuple(words("本 该 新 老 主 各 分 两 全 其他 我校 学校 整个 同一 这个 那个"))
# Landmarks by which a report places a person: a name and a kind of place, then where on it
# (在洱海边, 珞珈山上, 演武大桥附近).
_LANDMARK_RE = re.compile(
    rf"([{CJK}]{{1,4}}?(?:大桥|绿道|雪山|公园|广场|湖|山|江|河|桥|洲|岛|海|门|湾|滩))(?=边|附近|旁|上|畔|一带|脚下|景区)"
)
_NOT_LANDMARK_HEADS = frozenset("在到去往从回于的了是这那一小大个座条片后前山水湖河江海桥上下边里高天木铁吊浮拱")
# A place whose name is also a word or a given name (大理, 遵义, 延吉) is a place when a verb
# of coming or being puts something there and a verb of living or studying follows it.
_PLACE_BEFORE = ("来自", "老家", "出生在", "生在", "从", "到", "在", "去", "回", "赴")
_PLACE_AFTER = words(
    "的一 一所 一家 读 出生 长大 上学 转学 考 工作 打工 待 人 籍 当 生活 来 农村 山区 乡下 老家 "
    "的一个 的一所 的山村 的农村 的县城 的小镇 的家 寄宿 定居 安家 住"
)

_PERSON_VERBS = words("陪 说 告诉 带着 带她 带他 跑 哭 笑着 打电话 发消息 主动 来看 也来 轻声 问 一起 商量")

_KIN_RIGHT_CUES = words(
    "同学 的父亲 的母亲 的父母 的家长 的妈妈 的爸爸 的室友 的舍友 的辅导员 的班主任 的家人 的奶奶 的爷爷 "
    ",男 ,女 (男 (女"
)
_JOINING_CHARS = frozenset("和与跟同给找让对被把叫及或")

# 高中/初中 after a person's name is the stage of schooling, not a school's name:
# "戴晶高中毕业于…", "李明初中时…". Only these continuations make it a stage.
_STAGE_SUFFIXES = ("高中", "初中", "小学")
_STAGE_CONTINUATIONS = words(
    "毕业 时 时期 时候 的时候 阶段 期间 以前 之前 以后 之后 开始 起 三年 那年 就读 就已 便 还 曾 入学 成绩"
)
# Where a clause starts: a surname that is mostly a preposition (由, 和) may begin a name here.
_CLAUSE_START_CHARS = frozenset("。！？；;!?\n，,：:")

_NAMING_CUES = ("名叫", "叫做", "名为", "姓名", "叫", "姓名:")

# Sentences as given to the model; a name never spans them.
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_CJK_RE = re.compile(rf"[{CJK}]")
_MODEL_NAME_RE = re.compile(rf"[{CJK}]+(?:[·•][{CJK}]+)*")

# What follows a person right after a role noun (室友文静说): delimiters or a person's verb.
_STRONG_FOLLOW = words(
    "说 告诉 哭 笑 表示 提到 回忆 主动 也 和 与 跟 同学 的父亲 的母亲 的家长 ,男 ,女 "
    "先 全程 提问 提出 发消息 发来 还 回答 认为 觉得 陪 找 打电话 前往"
)
# What a person does right after being named by a role (辅导员温婉全程陪护, 舍友文静先找我).
_PERSON_ACTS = words("说 告诉 先 全程 提问 提出 发消息 发来 也 还 主动 表示 回答 认为 觉得 陪 哭 找 打电话 前往")
# What a register's name field holds when the name is withheld.
_WITHHELD = frozenset(words("不详 未知 保密 匿名 隐去 已隐去 略去 暂无 待定 本人 学生 家长 同上 见上"))
# Fields of a register, minutes or a report that hold a person (记录人：…, 辅导员签字：…).
_REGISTER_LABELS = words(
    "记录人 记录 评估人 报警人 报告人 谈话人 填表人 填报人 经办人 主持人 主持 出席 参会人员 签字 签名 "
    "学生姓名 姓名 家访教师 值班人 接警人 处置人 陪同人 撰稿 执笔 通讯员"
)
# 易可心 after "四年级（3）班　", 字春梅 after "应用心理学专业 ": a byline after a class or major.
_BYLINE_RE = re.compile(rf"(?:班|专业)[ \t]+([{CJK}]{{2,4}}?)(?=[)）\s。]|$)", re.MULTILINE)
# After an everyday word, not after a person: a pronoun (莫非他), a degree (温柔一点), an adverb's 地.
_NOT_PERSON_AFTER = words("他 她 你 我 它 一点 一些 地 得 些")
_NOT_PERSON_BEFORE = frozenset("很更最太挺够要去过")
# The speaker at the start of a line of a chat log or transcript, after a role and a hyphen or not.
_SPEAKER_RE = re.compile(rf"^(?:[\d: \t]*)(?:[{CJK}]{{1,4}}-)?([{CJK}]{{2,3}}):", re.MULTILINE)
# What follows a name in a list: （辅导员） after it, then 、 and the next name.
_PAREN_RE = re.compile(rf"\([{CJK}]{{1,8}}\)")
_LIST_NEXT_RE = re.compile(rf"([{CJK}]{{2,3}}?)(?=[、,，。;；\s(]|前往|等|两人|二人|一起|$)")
# 约翰·史密斯, 阿依古丽·买买提: a transliterated or minority name with an interpunct.
_TRANSLIT = "".join(sorted(gz.TRANSLITERATION_CHARS | gz.MINORITY_NAME_CHARS))
_INTERPUNCT_NAME_RE = re.compile(rf"[{_TRANSLIT}]{{1,8}}(?:[·•][{_TRANSLIT}]{{1,8}})+")
# 研一的阿米娜。: a transliterated name of three or four characters in a person's place.
_TRANSLIT_WORD_RE = re.compile(
    rf"(?:^|(?<=[^{CJK}])|(?<=[的是叫]))([{_TRANSLIT}]{{3,4}})(?=[,。;、!?\s]|说|站|看|告诉|突然|$)",
    re.MULTILINE,
)
# 机电2101班: a major's abbreviation, a year and a number, and 班.
_CLASS_CODE_RE = re.compile(r"(?<!\d)\d{3,4}\s*班")

# Last characters of an organisation (…学院, …系, …大学, …学校): a class code never reaches across them
# (外国语学院日语2202班: the class is 日语2202班, the department 外国语学院).
_ORG_END_CHARS = frozenset("院系校")

# Verbs of going or studying and particles, which no school's name between a place and its suffix holds.
_NOT_IN_SCHOOL_NAME_CHARS = frozenset("读考进念到在去往赴的了是所")

# Titles that follow a person's full name (白露老师, 向阳同学, 艾军主任医师).
_PERSON_TITLE_RE = re.compile(
    "老师|同学|主任|医生|医师|辅导员|班主任|教授|警官|校长|书记|院长|干事|护士|导师|社工|大夫"
)
_CJK_ONLY_RE = re.compile(rf"[{CJK}]+")
# Given-name characters that make a group, a class, a course or a duty instead (全班, 包班, 文科, 宿管).
_GROUP_CHARS = frozenset("班级科课组届年队部处室上下里中内外间边头些位名个管务")

_DELIMITERS = frozenset("、，,。；;：:！!？? \n\t（()）“”\"")

_CONTACT_RE = re.compile(
    rf"(?:^|(?<=[\s，,。；;:、]))([{CJK}]{{2,5}})[ \t]*:?[ \t]*(?=(?:\+?86)?[ \-]*(?:1[3-9]\d|0\d{{2,3}}[\- ]))",
    re.MULTILINE,
)

_SCHOOL_KINDS = words(
    "实验 外国语 职业 技工 技术 特殊教育 艺术 体育 民族 国际 双语 中等专业 师范 工业 商业 农业 医学 "
    "科技 理工 财经 政法 警官 传媒 音乐 美术 戏剧 电影 舞蹈 航空 交通 铁道 电力 水利 石油 林业 工程"
)

_INNER_ORG_RE = re.compile(r"大学|学院|中学|小学|学校|医院|[一二三四五六七八九十]中(?!学)")

# Characters that end the left expansion of an organisation or place name.
_BOUNDARY_CHARS = frozenset(
    "在于到的了与及是为去往从进读念考回被把将向由对给让所该本某其这那每各个位名就即转至送和、"
    "他她我你们也又还才便曾已入至自住"
)


# What follows a department and not a school: its staff, its students and their year or class.
_DEPARTMENT_CONTEXT_RE = re.compile(
    rf"[ \t]*(?:辅导员|学生|本科生|研究生|硕士|博士|新生|团委|党委|分团委|副?院长|副?书记|的学生|的辅导员|"
    rf"研[一二三]|大[一二三四五]|(?:19|20)?\d{{2}}级|[{CJK}]{{0,4}}\d{{3,4}}班)"
)
# A 学院 after these is no particular department (全学院, 各学院, 二级学院).
_NOT_DEPARTMENT_HEADS = frozenset("全各本该我某每分二总这那其")


def _place_names() -> list[str]:
    return list(gz.PROVINCES) + list(gz.CITIES) + list(gz.DISTRICTS)


class Engine:
    """Holds the loaded resources; create one and reuse it (cold start once)."""

    def __init__(self, resources: Resources | None = None, *, model: bool = True) -> None:
        """``model=False`` keeps this engine to the rules even where the model is installed."""
        self._use_model = model
        self._model: NameModel | None = None
        self.res = resources or load_resources()
        self.lexicon = self.res.lexicon
        self.surnames = self.res.surnames
        compound = [s for s in self.surnames if len(s) > 1]
        single = [s for s in self.surnames if len(s) == 1 and s not in gz.NON_SURNAME_CHARS]
        given = "".join(sorted((gz.GIVEN_NAME_CHARS | gz.GIVEN_FIRST_ONLY) - gz.FUNCTION_CHARS))
        self._given_chars = frozenset(given)
        self._name_re = re.compile(
            rf"(?=({_alternation(compound)}|[{''.join(single)}])([{given}]))"
        )
        self._single_surnames = frozenset(single)
        function_surnames = "".join(sorted(s for s in self.surnames if s in gz.NON_SURNAME_CHARS))
        self._function_surname_re = re.compile(rf"[{function_surnames}](?=[{given}])")
        self._cue_name_re = re.compile(
            rf"(?:名叫|叫做|名为|姓名[:是为]?|叫)([{CJK}]{{2,4}}?)(?=[，,。；;、的\s\"“”（(]|同学|说|$)"
        )
        self._role_name_re = re.compile(
            rf"(?:{_alternation(gz.ROLE_WORDS)})[:：]?((?:{_alternation(self.surnames)})[{CJK}]{{1,2}}?)"
            r"(?=[，,。；;、\s(（]|同学|说|反映|告诉|表示|发现|的|和|与|也|是|在|$)"
        )
        # 丁想同学, 丁想的父亲: a surname and one or two characters of any kind
        # before a word that only follows a person.
        self._classmate_re = re.compile(
            rf"(?:^|(?<=[^{CJK}])|(?<=[的和与给让叫找对向被]))"
            rf"((?:{_alternation(self.surnames)})[{CJK}]{{1,2}}?)(?={_alternation(_KIN_RIGHT_CUES)})"
        )
        # 室友文静说, 舍友王海洋，…: a given name that is an everyday word, in a position only a
        # person takes (after a relation or role noun, before a delimiter or a person's verb).
        self._strong_role_re = re.compile(
            rf"(?:{_alternation(gz.STRONG_ROLE_WORDS)})(?:是|为|叫)?:?((?:{_alternation(self.surnames)})[{CJK}]{{1,2}}?)"
            rf"(?=[,。;、\s(]|{_alternation(_STRONG_FOLLOW)}|$)"
        )
        # 学生石榴（体育学院）, 学生莫非，大四: a student described by department, year or sex.
        self._student_name_re = re.compile(
            rf"学生:?((?:{_alternation(self.surnames)})[{CJK}]{{1,2}}?)"
            rf"(?=,?(?:男|女|大[一二三四五]|研[一二三]|\d{{2,4}}级)|\([{CJK}]{{0,10}}(?:学院|系|专业|班|男|女))"
        )
        # 记录人：文化（学生处干事）, 辅导员签字：乌兰: a register's field that holds a person.
        self._register_name_re = re.compile(
            rf"(?P<label>{_alternation(_REGISTER_LABELS)}):[ \t]*(?P<name>[{CJK}]{{2,4}}?)(?=[,、;。\s(]|$)",
            re.MULTILINE,
        )
        # 她叫高原，…: a person says or is told her name, whatever the word.
        self._told_name_re = re.compile(
            rf"(?:我|她|他|你|孩子|女儿|儿子|女孩|男孩)(?:名字)?叫([{CJK}]{{2,3}}?)(?=[,。;!！，；]|$)"
        )
        # 高山，男，20岁: the subject of a clause followed by sex (and age).
        self._sex_age_re = re.compile(r",(?:男|女)(?=[,(\d性生]|$)")
        self._sex_age_name_re = re.compile(
            rf"(?:^|(?<=[。！？;\n,:!?]))(?:{_alternation(gz.ROLE_WORDS)})?"
            rf"((?:{_alternation(self.surnames)})[{CJK}]{{1,2}}?)$"
        )
        self._title_re = re.compile(
            rf"(?:{_alternation(compound)}|[{''.join(single)}])(?:{_alternation(gz.TEACHER_TITLES)})"
        )
        self._nickname_re = re.compile(
            rf"(?<![{CJK}])(?:小|老|阿)([{''.join(single)}{given}])|(?<=[，,。；;、和与跟同给对让\s“\"])(?:小|老|阿)([{''.join(single)}{given}])"
        )
        self._nickname_re = re.compile(rf"(?:小|老|阿)([{''.join(single)}{given}])")
        compound_surnames = [x for x in self.surnames if len(x) == 2]
        self._lone_compound_re = re.compile(
            rf"(?:^|(?<=[^{CJK}]))({_alternation(compound_surnames)})(?=[,?!。:，？！：]|说)", re.MULTILINE
        )
        self._sibling_re = re.compile(rf"([{''.join(single)}])(?:哥|姐|叔|姨)")
        self._declare_re = re.compile(
            rf"([{CJK}]{{2,5}})[”\"’']?\s*[(（]\s*化名\s*[)）]|化名(?:为|是|叫)?\s*[“\"]?([{CJK}]{{2,4}})"
        )
        places = _place_names()
        self._places = frozenset(places)
        # District names alone (朝阳, 和平) are too often words; they need 区/县.
        self._bare_districts = frozenset(gz.DISTRICTS) - frozenset(gz.CITIES) - frozenset(gz.PROVINCES)
        self._place_re = re.compile(rf"(?:{_alternation(places)})")
        self._school_abbr_re = re.compile(rf"(?:{_alternation(gz.SCHOOL_ABBREVIATIONS)})")
        self._hospital_name_re = re.compile(rf"(?:{_alternation(gz.HOSPITAL_NAMES)})")
        self._generic_prefixes = frozenset(gz.GENERIC_ORG_PREFIXES)
        self._generic_prefix_order = tuple(sorted(self._generic_prefixes, key=len, reverse=True))
        self._subjects = frozenset(gz.SUBJECTS)
        self._left_cues = tuple(sorted(gz.NAME_LEFT_CUES, key=len, reverse=True))
        self._right_cues = tuple(sorted((*gz.NAME_RIGHT_CUES, *gz.TEACHER_TITLES, "的"), key=len, reverse=True))
        self._role_words = tuple(gz.ROLE_WORDS)
        self._person_nouns = frozenset((*gz.ROLE_WORDS, *gz.STRONG_ROLE_WORDS, *gz.TEACHER_TITLES))
        self._title_words = (*gz.TEACHER_TITLES, "班长", "副主任", "副校长", "副院长", "副书记")
        self._titles_by_length = tuple(sorted(gz.TEACHER_TITLES, key=len, reverse=True))
        self._strong_left = tuple(sorted(
            [*gz.ROLE_WORDS, "联系人:", "校对人:", "作者:", "负责人:", "申报人:", "填报人:"], key=len, reverse=True))
        self._strong_right = ("同学", "老师", "辅导员", "(化名)", "（化名）", *_KIN_RIGHT_CUES)
        # Verbs and phrases that follow a person (not the weak 的, 和, 在, 是 alone).
        self._person_right_cues = tuple(sorted(
            {*_PERSON_VERBS, *self._strong_right, "说", "告诉", "表示", "觉得", "认为", "是第一个", "是她的", "是他的",
             "第一个", "留意", "发现", "注意到", "哭", "回答", "同意", "主动"}, key=len, reverse=True))

    # ------------------------------------------------------------------ API

    @property
    def model(self) -> NameModel | None:
        """The learned name tagger, loaded on first use; None when disabled or not installed."""
        if self._model is None and self._use_model:
            self._model = shared_model()
            self._use_model = self._model is not None
        return self._model

    @property
    def has_model(self) -> bool:
        return self.model is not None

    def detect(self, text: str) -> list[Flag]:
        """The full pipeline: rules, and the learned name tagger where installed."""
        return self._detect(text, self.model)

    def detect_fast(self, text: str) -> list[Flag]:
        """Rules only (about ten times faster): for live feedback while the author types."""
        return self._detect(text, None)

    def _detect(self, text: str, model: NameModel | None) -> list[Flag]:
        norm = text.translate(_NORMALISE)
        declared = self._declared_names(norm)
        cands: list[Candidate] = []
        cands += self._numbers(norm)
        cands += self._dates(norm)
        cands += self._grades(norm)
        places = self._organisations(norm) + self._addresses(norm)
        found = self._rule_names(norm, declared)
        people = self._titles_and_nicknames(norm, declared)
        if model is not None:
            self._add_model_names(norm, found, declared, cands + people, model)
        names = self._name_occurrences(norm, found, declared)
        cands += _yield_to_names(places, [c for c in names if c.info.get("model")])
        cands += names
        cands += people
        chosen = _resolve(cands)
        return plan_replacements(text, chosen, declared)

    # ------------------------------------------------------------ numbers

    def _numbers(self, t: str) -> list[Candidate]:
        out: list[Candidate] = []
        H = Severity.HIGH
        for m in _EMAIL_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.EMAIL, H, REASONS["email"]))
        for m in _ID18_RE.finditer(t):
            ok = id_checksum_ok(m.group().replace(" ", ""))
            reason = REASONS["id_number"] if ok else REASONS["id_number_bad"]
            out.append(Candidate(m.start(), m.end(), Kind.ID_NUMBER, H, reason))
        for m in _ID15_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.ID_NUMBER, H, REASONS["id_number"]))
        for m in _QQ_RE.finditer(t):
            out.append(Candidate(m.start(1), m.end(1), Kind.QQ, H, REASONS["qq"]))
        for m in _WECHAT_RE.finditer(t):
            out.append(Candidate(m.start(1), m.end(1), Kind.WECHAT, H, REASONS["wechat"]))
        for m in _WXID_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.WECHAT, H, REASONS["wechat"]))
        for m in _MOBILE_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.PHONE, H, REASONS["phone"]))
        for m in _LANDLINE_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.PHONE, H, REASONS["phone"]))
        for m in _STUDENT_NO_RE.finditer(t):
            out.append(Candidate(m.start(1), m.end(1), Kind.STUDENT_NUMBER, H, REASONS["student_number"]))
        for m in _LONG_NUMBER_RE.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.STUDENT_NUMBER, Severity.MEDIUM, REASONS["long_number"]))
        return out

    def _dates(self, t: str) -> list[Candidate]:
        out: list[Candidate] = []
        for rx in _DATE_FULL_RES:
            for m in rx.finditer(t):
                out.append(
                    Candidate(m.start(), m.end(), Kind.DATE, Severity.MEDIUM, REASONS["date_full"], {"full": True})
                )
        for rx in _DATE_PARTIAL_RES:
            for m in rx.finditer(t):
                out.append(
                    Candidate(m.start(), m.end(), Kind.DATE, Severity.LOW, REASONS["date_partial"], {"full": False})
                )
        return out

    def _grades(self, t: str) -> list[Candidate]:
        out: list[Candidate] = []
        for rx in _GRADE_CLASS_RES:
            for m in rx.finditer(t):
                if m.end() > m.start():
                    out.append(Candidate(m.start(), m.end(), Kind.GRADE_CLASS, Severity.MEDIUM, REASONS["grade_class"]))
        for m in _CLASS_CODE_RE.finditer(t):
            start = m.start()
            while start > 0 and m.start() - start < 4 and "\u4e00" <= t[start - 1] <= "\u9fff" and (
                t[start - 1] not in _BOUNDARY_CHARS and t[start - 1] not in _ORG_END_CHARS
                and t[start - 2 : start] != "大学"
            ):
                start -= 1
            out.append(Candidate(start, m.end(), Kind.GRADE_CLASS, Severity.MEDIUM, REASONS["grade_class"]))
        for m in _GRADE_ONLY_RE.finditer(t):
            out.append(
                Candidate(m.start(), m.end(), Kind.GRADE_CLASS, Severity.LOW, REASONS["grade_only"], {"bare": True})
            )
        return out

    # ------------------------------------------------------ organisations

    def _expand_left(self, t: str, end: int, max_len: int = 12) -> int:
        """Start of the specific name that ends at ``end`` (before a suffix)."""
        lo = end
        while lo > 0 and end - lo < max_len:
            ch = t[lo - 1]
            if not ("\u4e00" <= ch <= "\u9fff" or ch.isdigit()):
                break
            lo -= 1
        # A known place or school stem anchors the name as far left as possible, unless a word
        # of going or studying (到, 读, 在 …) stands between it and the suffix: 到天津读大学.
        for j in range(lo, end):
            m = self._place_re.match(t, j)
            if m and m.end() <= end and not any(ch in _NOT_IN_SCHOOL_NAME_CHARS for ch in t[m.end() : end]):
                return j
        start = end
        while start > lo and (t[start - 1] not in _BOUNDARY_CHARS or t[start - 1 : start + 1] in self.lexicon):
            start -= 1
        return start

    def _is_generic(self, prefix: str) -> bool:
        if not prefix:
            return True
        if prefix.startswith("某") or prefix in self._generic_prefixes:
            return True
        # 到校医院, 一家精神卫生专科医院: a preposition or generic words, and nothing of a name.
        rest = prefix.lstrip("".join(_BOUNDARY_CHARS))
        while rest:
            word = next((g for g in self._generic_prefix_order if rest.startswith(g)), None)
            if word is None:
                break
            rest = rest[len(word) :]
        if not rest or rest in ("校", "院"):
            return True
        if len(prefix) == 1 and prefix not in self._places:
            return True
        return prefix in ("一", "该校", "我院", "本院", "全市", "全省", "全县", "全区")

    def _organisations(self, t: str) -> list[Candidate]:
        out: list[Candidate] = []
        M = Severity.MEDIUM
        for m in _SCHOOL_SUFFIX_RE.finditer(t):
            start = self._expand_left(t, m.start())
            inner = _INNER_ORG_RE.search(t, start, m.start())
            while inner:  # 华南理工大学计算机学院: the 学院 part starts after 大学
                start = inner.end()
                inner = _INNER_ORG_RE.search(t, start, m.start())
            prefix = t[start : m.start()]
            suffix = m.group()
            if not prefix and suffix != "学院" and suffix.endswith("学院") and t[start - 2 : start] in ("大学", "学院"):
                # 吉首大学师范学院: a school's suffix right after a university is its department.
                out.append(Candidate(start, m.end(), Kind.DEPARTMENT, M, REASONS["department"], {"suffix": "学院"}))
                continue
            if suffix == "学院" and self._is_department_of_unnamed_school(t, start, m.start(), m.end()):
                # 法学院辅导员, 学院：药学院, 农学院研一: a school's department named on its own.
                out.append(Candidate(start, m.end(), Kind.DEPARTMENT, M, REASONS["department"], {"suffix": "学院"}))
                continue
            if self._is_generic(prefix) or prefix in self._subjects or _DEPARTMENT_RE.fullmatch(t, start, m.end()):
                continue
            if _PERSON_TITLE_RE.search(prefix):
                continue  # 向阳同学自述高中期间: a person and a stage of schooling, not a school's name
            if suffix.endswith("学院") and start > 0 and t[start - 2 : start] in ("大学", "学院"):
                # …大学国际教育学院: whatever stands between a university and 学院 is its department.
                if not self._is_generic(prefix) and not any(ch in _BOUNDARY_CHARS for ch in prefix):
                    out.append(Candidate(start, m.end(), Kind.DEPARTMENT, M, REASONS["department"], {"suffix": "学院"}))
                continue
            if suffix in ("学校", "学院") and not self._place_re.match(t, start) and not prefix.endswith(_SCHOOL_KINDS):
                continue  # 说要离开学校: 学校 alone needs a place or a school type before it
            if suffix in _STAGE_SUFFIXES and self._is_person_before_stage(t, start, m.start(), m.end()):
                continue  # 戴晶高中毕业于: a person and her stage of schooling
            numbered_school = suffix.endswith("中") and not suffix.endswith(("高中", "初中"))
            if numbered_school and not self._place_re.match(t, start) and len(prefix) < 2:
                continue  # 一中, 三中 need a place before them
            out.append(Candidate(start, m.end(), Kind.SCHOOL, Severity.HIGH, REASONS["school"], {"suffix": suffix}))
        for m in self._school_abbr_re.finditer(t):
            word = m.group()
            congress = t.startswith(("代表", "常委", "会议", "主任"), m.end()) or t[m.start() - 2 : m.start()] == "全国"
            if word == "人大" and congress:
                continue  # 人大代表, 全国人大: the congress, not the university
            if m.start() > 0 and self.lexicon.get(t[m.start() - 1 : m.start() + 1], 0) >= 1000:
                continue  # 有人大哭: the abbreviation's first character ends the word before it
            out.append(
                Candidate(m.start(), m.end(), Kind.SCHOOL, Severity.HIGH, REASONS["school_abbr"], {"suffix": "大学"})
            )
        for m in _HOSPITAL_SUFFIX_RE.finditer(t):
            start = self._expand_left(t, m.start())
            prefix = t[start : m.start()]
            if self._is_generic(prefix):
                continue
            out.append(Candidate(start, m.end(), Kind.HOSPITAL, M, REASONS["hospital"], {"suffix": m.group()}))
        for m in self._hospital_name_re.finditer(t):
            out.append(Candidate(m.start(), m.end(), Kind.HOSPITAL, M, REASONS["hospital"], {"suffix": "医院"}))
        for m in _DEPARTMENT_RE.finditer(t):
            if m.start() > 0 and t[m.start() - 1] == "某":
                continue
            suffix = "专业" if m.group().endswith("专业") else ("系" if m.group().endswith("系") else "学院")
            out.append(Candidate(m.start(), m.end(), Kind.DEPARTMENT, M, REASONS["department"], {"suffix": suffix}))
        return out

    def _is_department_of_unnamed_school(self, t: str, start: int, suffix_start: int, end: int) -> bool:
        """Is ``t[start:end]`` (…学院) a department, shown by what follows it or by a form's label?"""
        prefix = t[start:suffix_start]
        if not 1 <= len(prefix) <= 6 or prefix[0] in _NOT_DEPARTMENT_HEADS or prefix.startswith("某"):
            return False
        if t[start - 2 : start] in ("大学", "学院") and not any(ch in _BOUNDARY_CHARS for ch in prefix):
            return True  # 华中师范大学心理学院: whatever stands between a university and 学院
        if prefix in self._generic_prefixes or self._place_re.match(t, start) or prefix.endswith(_SCHOOL_KINDS):
            return False
        if len(prefix) > 1 and self._is_generic(prefix):
            return False
        labelled = t[max(0, start - 3) : start].rstrip(" :").endswith(("学院", "院系", "单位"))
        return labelled or bool(_DEPARTMENT_CONTEXT_RE.match(t, end))

    def _is_person_before_stage(self, t: str, start: int, stage_start: int, stage_end: int) -> bool:
        """Is ``t[start:stage_start]`` a person's name, with 高中/初中 their stage of schooling?"""
        prefix = t[start:stage_start]
        if not 2 <= len(prefix) <= 4 or not t.startswith(_STAGE_CONTINUATIONS, stage_end):
            return False
        if self._place_re.match(t, start) or prefix.endswith(_SCHOOL_KINDS) or prefix in self.lexicon:
            return False
        surname = next((s for s in (prefix[:2], prefix[:1]) if s in self.surnames), None)
        if surname is None or surname in gz.NON_SURNAME_CHARS:
            return False
        found = self._name_at(t, start, surname)
        return found is not None and found[0] == stage_start

    # ----------------------------------------------------------- addresses

    def _addresses(self, t: str) -> list[Candidate]:
        # (start, end, level, strong): level 1 province/city, 2 district or
        # town, 3 street, estate or house number. A weak part (one that also
        # reads as a common word: 集市, 街区) counts only next to a strong one.
        parts: list[tuple[int, int, int, bool]] = []
        for m in self._place_re.finditer(t):
            end = m.end()
            a = _ADMIN_SUFFIX_RE.match(t, end)
            if a and not self._glued_after(t, a.end()):
                end = a.end()
            elif m.group() in gz.AMBIGUOUS_PLACES or m.group() in self._bare_districts:
                continue
            level = 2 if t[end - 1] in "区县旗" else 1
            parts.append((m.start(), end, level, True))
        for rx, level in ((_ADMIN_SUFFIX_RE, 2), (_STREET_SUFFIX_RE, 3)):
            for m in rx.finditer(t):
                if self._glued_after(t, m.end()):
                    continue
                word = m.group()
                if word == "区" and m.start() > 0 and t[m.start() - 1] == "校":
                    continue  # 花江校区: a campus, found by its own rule
                if word in ("省", "市", "州", "地区", "盟") and level == 2:
                    lvl = 1
                elif word in ("镇", "乡", "村", "里"):
                    lvl = 2
                else:
                    lvl = level
                start = self._expand_left(t, m.start(), 8)
                prefix = t[start : m.start()]
                numbered = bool(_HOUSE_NUMBER_RE.match(t, m.end()))
                # 南苑12栋: one character of its own before a numbered estate is enough
                one_of_its_own = numbered and len(prefix) == 1 and prefix not in self._generic_prefixes
                if not one_of_its_own and (self._is_generic(prefix) or (len(prefix) < 2 and not prefix.isdigit())):
                    continue
                if prefix in self._role_words or prefix.endswith("人") or (
                    prefix.endswith(self._role_words) and len(prefix) < 4
                ):
                    continue  # 室友家, 同学村; but 西山学生公寓 is an estate
                numbered = bool(_HOUSE_NUMBER_RE.match(t, m.end()))
                if word in ("里", "苑") and not numbered:
                    continue
                strong = not (
                    t[start : m.end()] in self.lexicon
                    or (t[m.start() - 1 : m.end()] in self.lexicon and not numbered)
                    or (lvl < 3 and prefix not in self._places and self.lexicon.get(prefix, 0) >= 100)
                )
                parts.append((start, m.end(), lvl, strong))
        for m in _HOUSE_NUMBER_RE.finditer(t):
            parts.append((m.start(), m.end(), 3, True))
        parts += self._places_in_context(t)
        parts.sort()
        out: list[Candidate] = []
        group: list[tuple[int, int, int, bool]] = []
        group_end = 0  # the group's furthest end, kept as parts join (not rescanned: linear time)
        for part in parts:
            if group and _joinable(t, group_end, part[0]):
                group.append(part)
                group_end = max(group_end, part[1])
                continue
            out.extend(self._address_candidate(t, group))
            group, group_end = [part], part[1]
        out.extend(self._address_candidate(t, group))
        return out

    def _places_in_context(self, t: str) -> list[tuple[int, int, int, bool]]:
        """Address parts known by their context: campuses, numbered buildings, landmarks, and
        places whose names are also words, where a sentence puts a person there."""
        parts: list[tuple[int, int, int, bool]] = []
        for m in _CAMPUS_RE.finditer(t):
            start = m.start()
            inner = _INNER_ORG_RE.search(t, start, m.end() - 2)
            while inner:  # 桂林某某大学花江校区: the campus starts after the school
                start = inner.end()
                inner = _INNER_ORG_RE.search(t, start, m.end() - 2)
            while start < m.end() - 2 and (t[start] in _BOUNDARY_CHARS or t[start - 1 : start + 1] in self.lexicon):
                start += 1
            cut = max((k + 1 for k in range(start, m.end() - 2) if t[k] in _BOUNDARY_CHARS), default=start)
            start = max(start, cut)  # 中心在北校区: the campus starts after 在
            head = t[start : m.end() - 2]
            if not head or head.startswith(_NOT_CAMPUS_HEADS):
                continue
            parts.append((start, m.end(), 2, True))
        for m in _NAMED_BUILDING_RE.finditer(t):
            head = m.group(1)
            if self.lexicon.get(head, 0) >= 100 or any(c in _BOUNDARY_CHARS or c in gz.FUNCTION_CHARS for c in head):
                continue  # 宿舍楼, 教学楼, 行政楼: a kind of building
            parts.append((m.start(1), m.end(), 3, True))
        for m in _BUILDING_RE.finditer(t):
            parts.append((m.start(), m.end(), 3, True))
        for m in _LANDMARK_RE.finditer(t):
            name = m.group(1)
            start = m.start(1)
            cut = max((k + 1 for k, c in enumerate(name[:-1]) if c in _BOUNDARY_CHARS), default=0)
            name, start = name[cut:], start + cut  # 警察在橘子洲: the landmark starts after 在
            while len(name) > 2 and name[0] in _NOT_LANDMARK_HEADS:
                name, start = name[1:], start + 1
            if len(name) < 2 or name[0] in _NOT_LANDMARK_HEADS or self.lexicon.get(name, 0) >= 1000:
                continue  # 海边, 江湖上, 长江边: a kind of place, or one too large to place anyone
            if any(c in gz.FUNCTION_CHARS for c in name):
                continue
            parts.append((start, start + len(name), 2, True))
        for m in self._place_re.finditer(t):
            name = m.group()
            if name not in gz.AMBIGUOUS_PLACES and name not in self._bare_districts:
                continue
            if t[: m.start()].endswith(_PLACE_BEFORE) and (
                t.startswith(_PLACE_AFTER, m.end()) or m.end() == len(t) or not _CJK_RE.match(t, m.end())
            ):
                parts.append((m.start(), m.end(), 1, True))
            elif t.startswith("籍", m.end()):
                parts.append((m.start(), m.end(), 1, True))  # 遵义籍学生
        return parts

    def _address_candidate(self, t: str, group: list[tuple[int, int, int, bool]]) -> list[Candidate]:
        strong = [p for p in group if p[3]]
        if not strong:
            return []
        # Weak parts at the edges of the group are dropped unless joined.
        s = min(p[0] for p in group)
        e = max(p[1] for p in group)
        lvl = max(p[2] for p in group)
        if len(group) == 1 and lvl == 3 and _HOUSE_NUMBER_RE.fullmatch(t, s, e) and not (
            _BUILDING_RE.match(t, s) or re.search(r"[栋幢座元舍]\s*\d{3,4}$", t[s:e])
        ):
            return []  # a bare "3号" or "5楼" is not an address; "17号楼" and "3栋1702" are
        if lvl == 3:
            sev, reason = Severity.HIGH, REASONS["address_precise"]
        elif lvl == 2:
            sev, reason = Severity.MEDIUM, REASONS["address_area"]
        else:
            sev, reason = Severity.LOW, REASONS["address_city"]
        return [Candidate(s, e, Kind.ADDRESS, sev, reason)]

    def _glued_after(self, t: str, end: int) -> bool:
        """True when the suffix char starts a common word with what follows (市场, 区别)."""
        return t[end - 1 : end + 1] in self.lexicon and t[end - 1 : end + 1] not in ("市区", "区县")

    # --------------------------------------------------------------- names

    def _declared_names(self, t: str) -> set[str]:
        declared: set[str] = set()
        for m in self._declare_re.finditer(t):
            if m.group(1):
                declared.update(self._declared_forms(m.group(1)))
            else:
                declared.update(self._declared_forms(m.group(2), from_left=True))
        expanded = set(declared)
        for name in declared:
            expanded.update(self.derived_forms(name))
        return expanded

    def _declared_forms(self, chunk: str, from_left: bool = False) -> set[str]:
        """The name inside the text chunk next to a 化名 mark (longest plausible)."""
        forms: set[str] = set()
        for n in (4, 3, 2):
            if len(chunk) < n:
                continue
            word = chunk[:n] if from_left else chunk[-n:]
            if any(ch in gz.FUNCTION_CHARS for ch in word[1:]):
                continue
            head = word[0]
            if head in "小老阿" or head in self.surnames or word[:2] in self.surnames:
                forms.add(word)
                break
        if not forms:
            forms.add(chunk[-2:] if not from_left else chunk[:2])
        return forms

    def derived_forms(self, name: str) -> set[str]:
        """Forms that refer to the same person as ``name`` (小张 ↔ 张伟 …)."""
        forms = {name}
        if name[0] in "小老阿" and len(name) == 2:
            return forms
        surname = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
        given = name[len(surname) :]
        if surname in self.surnames and given:
            forms.update({"小" + surname, "老" + surname, "阿" + surname})
            forms.update({"小" + given[-1], "阿" + given[-1], given[-1] * 2})
            if len(given) == 2:
                forms.add(given)
        return forms

    def _rule_names(self, t: str, declared: set[str]) -> dict[str, Evidence]:
        """Full names the rules confirm somewhere in ``t``, each with what confirmed it."""
        found: dict[str, Evidence] = {}
        for m in self._name_re.finditer(t):
            i = m.start()
            surname = m.group(1)
            cand = self._name_at(t, i, surname)
            if cand is None:
                continue
            end, _strong = cand
            name = t[i:end]
            if name in declared or "化名" in name or name[:-1] in declared:
                continue
            if name not in found:
                found[name] = Evidence(surname, name[len(surname) :], self._cue_at(t, i, end), i)
        for m in self._role_name_re.finditer(t):
            name = m.group(1)
            if name in declared or name in self.lexicon or "化名" in name or name in gz.COMMON_WORD_WHITELIST:
                continue
            head = name[:2]
            if head not in self.surnames and (self.lexicon.get(head, 0) >= 20 or head in gz.COMMON_WORD_WHITELIST):
                continue
            if any(c in gz.FUNCTION_CHARS for c in name[1:]) or name[-1] in "说的了在是":
                continue
            if len(name) == 3 and t.startswith(_PERSON_ACTS, m.end(1) - 1):
                continue  # 舍友安然先发现: the name is 安然, 先 is what she did
            sur = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            given = name[len(sur) :]
            if sur in gz.NON_SURNAME_CHARS or self.lexicon.get(given, 0) >= 20 or given in gz.COMMON_WORD_WHITELIST:
                continue
            found.setdefault(name, Evidence(sur, given, f"前有“{t[m.start() : m.start(1)].rstrip(':')}”", m.start(1)))
        for m in self._classmate_re.finditer(t):
            name = m.group(1)
            sur = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            given = name[len(sur) :]
            if name in declared or name in self.lexicon or any(c in gz.FUNCTION_CHARS for c in given):
                continue
            if sur in gz.NON_SURNAME_CHARS or self.lexicon.get(given, 0) >= 20 or given in gz.COMMON_WORD_WHITELIST:
                continue
            cue = next((c for c in _KIN_RIGHT_CUES if t.startswith(c, m.end(1))), "")
            found.setdefault(name, Evidence(sur, given, f"后有“{cue}”", m.start(1)))
        for m in self._cue_name_re.finditer(t):
            name = m.group(1)
            if name in declared or name[0] in "小老阿某" or "化名" in name or name[0] in gz.NON_SURNAME_CHARS:
                continue
            if any(c in gz.FUNCTION_CHARS for c in name):
                continue
            if name in self.lexicon or name in gz.COMMON_WORD_WHITELIST:
                continue
            surname = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            cue = f"前有“{t[m.start() : m.start(1)]}”"
            found.setdefault(name, Evidence(surname, name[len(surname) :], cue, m.start(1)))
        # Surnames that are above all prepositions (由, 和) begin a name only in two places:
        # after a joining word ("阿丽和和建平") or at the start of a clause before a verb
        # that follows a person ("。由鹏是第一个…", "由鹏说"); never when they start a word.
        for m in self._function_surname_re.finditer(t):
            i = m.start()
            surname = t[i]
            if t[i : i + 2] in self.lexicon or t[i : i + 3] in self.lexicon or t[i : i + 2] in gz.COMMON_WORD_WHITELIST:
                continue
            after_joiner = i > 0 and t[i - 1] in _JOINING_CHARS and (i < 2 or t[i - 2] not in _JOINING_CHARS)
            at_clause_start = i == 0 or t[i - 1] in _CLAUSE_START_CHARS
            if not (after_joiner or at_clause_start):
                continue
            cand = self._name_at(t, i, surname)
            if cand is None:
                continue
            end = cand[0]
            name = t[i:end]
            given = name[1:]
            if any(c in gz.FUNCTION_CHARS for c in given):
                continue
            if not after_joiner and (
                self.lexicon.get(given, 0) >= 20
                or given in gz.COMMON_WORD_WHITELIST
                or not t.startswith(self._person_right_cues, end)
            ):
                continue
            if name in declared or name[:-1] in declared:
                continue
            found.setdefault(name, Evidence(surname, given, "并列或句首的姓氏后接名字", i))
        # A short token right before a phone number is a contact's name.
        for m in _CONTACT_RE.finditer(t):
            name = m.group(1)
            if name in declared or name in self.lexicon or any(c in gz.FUNCTION_CHARS for c in name):
                continue
            if name.endswith(("电话", "手机", "号码", "热线", "传真", "方式", "座机", "邮箱", "号", "证件", "编码")):
                continue  # 身份证号, 学号: the label of a number, not a person
            if self._not_a_name(t, m.start(1), m.end(1)):
                continue
            surname = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            found.setdefault(name, Evidence(surname, name[len(surname) :], "紧接电话号码的联系人", m.start(1)))
        for name, at, cue, sure in self._strong_context_names(t):
            ends_sentence = t[at + len(name) : at + len(name) + 1] in ("", "。", "\n")
            if name in found or name in declared or name in gz.FIELD_LABELS:
                continue
            if name in self.res.not_names and not (sure and ends_sentence and cue.startswith("前有")):
                continue  # 室友马上就来; but 我是班主任明月。 ends the sentence with her name
            if name in self._person_nouns:
                continue  # 来访者母亲打电话: a second role noun, not a name
            if cue.startswith("登记项"):
                # 学生姓名：其其格, 记录：文化（干事）: the field holds a person, whatever the word,
                # unless it says the name is withheld (不详, 保密, 某某).
                if name not in _WITHHELD and "某" not in name and not any(c in "的了是在和与及等" for c in name):
                    sur = next((x for x in (name[:2], name[:1]) if x in self.surnames and len(name) > len(x)), "")
                    found[name] = Evidence(sur, name[len(sur) :], cue, at)
                continue
            sur = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            given = name[len(sur) :]
            if sur not in self.surnames or sur in gz.NON_SURNAME_CHARS:
                continue
            if any(c in gz.FUNCTION_CHARS or c in "地得" for c in given):
                continue
            if not sure and (self.lexicon.get(name, 0) >= 5000 or name in gz.COMMON_WORD_WHITELIST):
                continue
            verb_after = t.startswith(_PERSON_ACTS, at + len(name))
            if name[0] in gz.FUNCTION_CHARS or (
                sur in gz.WEAK_SURNAMES and self.lexicon.get(name, 0) >= 1000 and verb_after
            ):
                continue  # 咨询师都会打电话: an adverb before a verb after the role, not a person
            found[name] = Evidence(sur, given, cue, at)
        for name, at, cue in self._titled_names(t):
            if name in found or name in declared or name[:-1] in declared:
                continue
            sur = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
            found[name] = Evidence(sur, name[len(sur) :], cue, at)
        for m in _INTERPUNCT_NAME_RE.finditer(t):
            name = m.group()
            letters = name.replace("·", "").replace("•", "")
            if len(letters) >= 3:
                found.setdefault(name, Evidence("", name, "外文译名（带间隔号）", m.start()))
        for m in self._told_name_re.finditer(t):
            name = m.group(1)
            if name in declared or name in self._person_nouns or name in self.res.not_names or "化名" in name:
                continue
            if name[0] in "小老阿某" or any(c in gz.FUNCTION_CHARS for c in name[1:]):
                continue
            sur = next((x for x in (name[:2], name[:1]) if x in self.surnames and len(name) > len(x)), "")
            if sur and sur not in gz.NON_SURNAME_CHARS:
                cue = f"前有“{t[m.start() : m.start(1)]}”"
                found.setdefault(name, Evidence(sur, name[len(sur) :], cue, m.start(1)))
        for m in _SPEAKER_RE.finditer(t):
            # 学委-杨柳青：…, 马骁：…: the speaker of a line in a chat log or a transcript.
            name = m.group(1)
            sur = next((x for x in (name[:2], name[:1]) if x in self.surnames and len(name) > len(x)), "")
            if not sur or sur in gz.NON_SURNAME_CHARS or name in self.lexicon or name in self._person_nouns:
                continue
            if name in gz.FIELD_LABELS or name in declared or any(c in gz.FUNCTION_CHARS for c in name):
                continue
            if name.endswith(("人", "员", "方")) or name in _REGISTER_LABELS:
                continue  # 谈话人：, 记录员：, 甲方：: the label of a field
            if name[-1] in "妈爸姐哥叔姨婆爷奶" or name[0] == name[1]:
                continue  # 牛牛妈：: a nickname, the nickname rules' to judge
            found.setdefault(name, Evidence(sur, name[len(sur) :], "对话或记录中的发言人", m.start(1)))
        for m in _TRANSLIT_WORD_RE.finditer(t):
            # 研一的阿米娜。, 拉萨的次仁拉姆，: a transliterated name without an interpunct, in a
            # person's place (after 的/是/叫 or a delimiter, before a delimiter or a verb of hers).
            name = m.group(1)
            if name in self.lexicon or name in self._places or name in declared or name in found:
                continue
            found[name] = Evidence("", name, "少数民族或外文姓名（音译用字）", m.start(1))
        for m in _BYLINE_RE.finditer(t):
            name = m.group(1)
            sur = next((x for x in (name[:2], name[:1]) if x in self.surnames and len(name) > len(x)), "")
            if not sur or sur in gz.NON_SURNAME_CHARS or name in self._person_nouns or name in gz.FIELD_LABELS:
                continue
            if any(c in gz.FUNCTION_CHARS for c in name) or self.lexicon.get(name, 0) >= 1000:
                continue
            found.setdefault(name, Evidence(sur, name[len(sur) :], "署名（紧接班级或专业）", m.start(1)))
        self._add_list_neighbours(t, found, declared)
        # 蔡徐坤: a given name starting with a surname character was found as
        # 徐坤; a strong surname right before it at a boundary belongs to it.
        for name in list(found):
            if len(name) != 2:
                continue
            for j in _find_all(t, name):
                k = j - 1
                if k < 0 or t[k] not in self._single_surnames or t[k] in gz.WEAK_SURNAMES:
                    continue
                if k > 0 and "\u4e00" <= t[k - 1] <= "\u9fff" and not t[: k].endswith(self._left_cues):
                    continue
                longer = t[k : j + 2]
                if longer not in self.lexicon and longer not in declared:
                    found.setdefault(longer, Evidence(t[k], name, found[name].cue, k))
        return {name: ev for name, ev in found.items() if not self._not_a_name(t, ev.at, ev.at + len(name))}

    def _add_list_neighbours(self, t: str, found: dict[str, Evidence], declared: set[str]) -> None:
        """Names beside a confirmed name in a 、-list (谢婉清、田野; 阚晓（辅导员）、何必成（保卫处）)."""
        for name in list(found):
            for j in _find_all(t, name):
                k = j + len(name)
                paren = _PAREN_RE.match(t, k)
                if paren:
                    k = paren.end()
                if not t.startswith("、", k):
                    continue
                m = _LIST_NEXT_RE.match(t, k + 1)
                if not m:
                    continue
                other = m.group(1)
                sur = next((x for x in (other[:2], other[:1]) if x in self.surnames and len(other) > len(x)), "")
                if not sur or sur in gz.NON_SURNAME_CHARS or other in found or other in declared:
                    continue
                if other in self._person_nouns or other in self.res.not_names or other in gz.FIELD_LABELS:
                    continue
                if any(c in gz.FUNCTION_CHARS for c in other) or self.lexicon.get(other, 0) >= 5000:
                    continue
                found[other] = Evidence(sur, other[len(sur) :], f"与“{name}”并列", m.start(1))

    def _add_model_names(
        self, t: str, found: dict[str, Evidence], declared: set[str], others: list[Candidate], model: NameModel
    ) -> None:
        """Add the names the model sees and the rules do not veto (union, rules decide the rest)."""
        ranges = [m.span() for m in _SENTENCE_RE.finditer(t) if _CJK_RE.search(t, m.start(), m.end())]
        if not ranges:
            return
        # Characters other rules already claim (schools, titles, nicknames …) and declared pseudonyms.
        taken = bytearray(len(t))
        for c in others:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        for d in declared:
            for j in _find_all(t, d) if len(d) >= 2 else ():
                taken[j : j + len(d)] = b"\x01" * len(d)
        forms = {form for name in found for form in self.derived_forms(name)}
        for a, b in model.person_spans(t, ranges):
            name = t[a:b]
            if name in found and not found[name].model:
                found[name] = dataclasses.replace(found[name], model=True)  # the model agrees
                continue
            if name in forms or any(taken[a:b]) or self._model_veto(t, a, b, declared):
                continue
            surname = next((s for s in (name[:2], name[:1]) if s in self.surnames and len(name) > len(s)), "")
            found[name] = Evidence(surname, name[len(surname) :], "语言模型根据上下文判断", a, model=True)

    def _model_veto(self, t: str, a: int, b: int, declared: set[str]) -> bool:
        """The model's known false positives, which the rules know better."""
        name = t[a:b]
        if len(name) < 2 or len(name) > (16 if "·" in name else 6) or not _MODEL_NAME_RE.fullmatch(name):
            return True
        if name in declared or "化名" in name or any(d in name for d in declared if len(d) >= 2):
            return True
        if t.startswith(("(化名)", "（化名）"), b):
            return True
        if name[0] in "小老" or (name[0] == "阿" and len(name) == 2):
            return True  # 小张, 老王, 阿强: nicknames are the rules' to judge
        if name in self.lexicon or name in gz.COMMON_WORD_WHITELIST or name in gz.NICKNAME_EXCLUSIONS:
            return True  # an everyday word (万一, 常规)
        if any(t.startswith(self._title_words, a + k) for k in (1, 2)):
            return True  # 王老师, 王班(主任): a surname and a title, flagged as a title (low)
        for n in range(len(name) + 1, 5):  # 万一, 张弛有度: the span is part of an everyday word
            if t[a : a + n] in self.lexicon or (t[b - n : b] in self.lexicon and b - n >= 0):
                return True
        return self._not_a_name(t, a, b)

    def _not_a_name(self, t: str, a: int, b: int) -> bool:
        """Shapes that look like a name and are known not to be one, whoever proposes them.

        - 每周心理老师: what follows the "surname" starts a title (心理老师), and the
          "surname" belongs to the word before it (每周);
        - 于凌晨, 高中午: a surname that is mostly a function word, before a word of time;
        - 身份证号, 学号: the label of a field.
        """
        name = t[a:b]
        if name.endswith(("号", "证", "码")) or name in gz.FIELD_LABELS:
            return True
        if name[-1] in "地得" and (name[:-1] in self.lexicon or name[:-1] in self.res.ambiguous):
            return True  # 安静地: an adverb, whatever came before it
        for k in (1, 2):  # the "given name" is the start of a title: 周心理(老师), 王老(师), 汪辅导(员)
            title = next((w for w in self._titles_by_length if t.startswith(w, a + k)), None)
            if title is not None and a + k < b <= a + k + len(title):
                return True
        return name[0] in gz.WEAK_SURNAMES and t.startswith(gz.TIME_WORDS, a + 1)

    def _titled_names(self, t: str) -> Iterable[tuple[str, int, str]]:
        """(name, offset, cue) of a full name right before a person's title: 白露老师, 向阳同学, 艾军主任.

        The given name may be any character, even an everyday word (温柔老师): the title after it
        is the cue. What stands there and is not a person: a subject (英语老师), a class or a
        group (全班同学, 包班老师), a common word (周围同学, 相关老师), a preposition's surname.
        """
        for m in _PERSON_TITLE_RE.finditer(t):
            p = m.start()
            for n in (3, 2):
                a = p - n
                if a < 0:
                    continue
                name = t[a:p]
                if self._is_titled_name(t, a, p):
                    yield name, a, f"后有“{m.group()}”"
                    break

    def _is_titled_name(self, t: str, a: int, p: int) -> bool:
        name = t[a:p]
        if not _CJK_ONLY_RE.fullmatch(name) or name[0] in "小老阿某":
            return False
        sur = name[:2] if name[:2] in self.surnames and len(name) > 2 else name[:1]
        given = name[len(sur) :]
        if sur not in self.surnames or sur in gz.NON_SURNAME_CHARS or not given:
            return False
        if any(c in gz.FUNCTION_CHARS or c in _GROUP_CHARS for c in given):
            return False
        if a > 0 and (t[a - 1 : a + 1] in self.lexicon or t[a - 1 : a + 1] in gz.COMMON_WORD_WHITELIST):
            return False  # 其中向… is not 中向: the "surname" belongs to the word before it
        if name in self.res.not_names or name in self._subjects or name in gz.FIELD_LABELS:
            return False
        freq = self.lexicon.get(name, 0)
        if freq >= 1500 or (sur in gz.WEAK_SURNAMES and freq >= 100):
            return False
        if len(given) == 2 and self.lexicon.get(given, 0) >= 200:
            return False  # 刘主任(医师), 原宿舍(同学): a title or a place, not a given name
        # The title must start after the name, not inside it (王班主任, 周心理老师).
        return not any(t.startswith(self._titles_by_length, a + k) for k in range(1, p - a))

    def _strong_context_names(self, t: str) -> Iterable[tuple[str, int, str, bool]]:
        """(name, offset, cue, sure) after a role noun (室友文静说), before a sex (高山，男，20岁),
        after a student with what describes one (学生石榴（体育学院）, 学生莫非，大四) or in a
        register's field for a person (记录人：文化（学生处干事）). ``sure``: even an everyday
        word there is a name."""
        for m in self._strong_role_re.finditer(t):
            sure = t.startswith(_PERSON_ACTS, m.end(1)) or (
                t[m.end(1) : m.end(1) + 1] in ("", ",", "、", "。") and self.lexicon.get(m.group(1), 0) < 1000
            )
            yield m.group(1), m.start(1), f"前有“{t[m.start() : m.start(1)].rstrip(':')}”", sure
        for m in self._student_name_re.finditer(t):
            yield m.group(1), m.start(1), "前有“学生”，后接院系、年级或性别", False
        for m in self._register_name_re.finditer(t):
            yield m.group("name"), m.start("name"), f"登记项“{m.group('label')}”", True
        for m in self._sex_age_re.finditer(t):
            lo = max(0, m.start() - 8)
            found = self._sex_age_name_re.search(t, lo, m.start())
            if found:
                yield found.group(1), found.start(1), f"后接性别“{t[m.start() + 1]}”", False

    def _cue_at(self, t: str, i: int, end: int) -> str:
        """What in the context of ``t[i:end]`` makes it a name, in words for the author."""
        before = t[max(0, i - 4) : i]
        left = next((c for c in self._left_cues if before.endswith(c) and len(c) > 1), "")
        if left:
            return f"前有“{left}”"
        right = next((c for c in self._right_cues if t.startswith(c, end) and len(c) > 1), "")
        if right:
            return f"后有“{right}”"
        return "姓氏加名字用字"

    def _name_occurrences(self, t: str, found: dict[str, Evidence], declared: set[str]) -> list[Candidate]:
        """Every occurrence of a confirmed name, and of its given-name forms, cue or not."""
        out: list[Candidate] = []
        for name, ev in found.items():
            info = {"name": name, "surname": ev.surname, "given": ev.given, "model": ev.model}
            here = _reason_here(ev)
            elsewhere = _reason_elsewhere(t, name, ev)
            wordlike = self._is_wordlike_name(name)
            for j in _find_all(t, name):
                if j != ev.at and wordlike and not self._in_person_position(t, j, j + len(name)):
                    continue  # 温柔 is a name here and the adjective there (要温柔一点, 去过高原)
                reason = here if j == ev.at else elsewhere
                out.append(Candidate(j, j + len(name), Kind.PERSON_NAME, Severity.HIGH, reason, info))
        # Given-name-only mentions of confirmed names (伟伟, 小伟, 建国).
        for name, ev in found.items():
            surname, given = ev.surname, ev.given
            if not surname or not given:
                continue
            forms = {given[-1] * 2: "double", "小" + given[-1]: "xiao", "阿" + given[-1]: "a"}
            if len(given) == 2:
                forms[given] = "given"
            for form, how in forms.items():
                if form in declared or form in found or form in gz.COMMON_WORD_WHITELIST:
                    continue
                if self.lexicon.get(form, 0) >= 4000 or form in gz.HARD_NICKNAME_EXCLUSIONS:
                    continue
                for j in _find_all(t, form):
                    out.append(
                        Candidate(j, j + len(form), Kind.PERSON_NAME, Severity.HIGH,
                                  REASONS["person_given"] + f"（“{name}”，依据：{ev.cue}）",
                                  {"name": name, "surname": surname, "given": given, "form": how})
                    )
        return out

    def _is_wordlike_name(self, name: str) -> bool:
        """Is this name also an everyday word (温柔, 高原, 莫非), so that not every occurrence is her?"""
        return (
            self.lexicon.get(name, 0) >= 20 or name in gz.COMMON_WORD_WHITELIST or name in self.res.ambiguous
            or name in self.res.not_names
        )

    def _in_person_position(self, t: str, a: int, b: int) -> bool:
        """Could ``t[a:b]`` be the person here, not the word: not before a pronoun (莫非他…) or a
        degree (温柔一点), not after a degree adverb or a verb of going (很温柔, 去过高原)?"""
        if t.startswith(_NOT_PERSON_AFTER, b):
            return False
        return not (a > 0 and t[a - 1] in _NOT_PERSON_BEFORE)

    def _titles_and_nicknames(self, t: str, declared: set[str]) -> list[Candidate]:
        out: list[Candidate] = []
        # Teacher titles (王老师) and nicknames (小李, 老王, 阿强).
        for m in self._title_re.finditer(t):
            i = m.start()
            sur = next((s for s in (t[i : i + 2], t[i]) if s in self.surnames), t[i])
            if sur in "向对给找让请问" and i > 0 and "\u4e00" <= t[i - 1] <= "\u9fff":
                continue  # 向老师反映: a preposition, not a surname
            if t.startswith(self._title_words, i) or t[i : m.end()] in self.lexicon:
                continue  # 班主任, 副书记 are titles on their own
            if i > 0 and (t[i - 1 : i + 1] in self.lexicon or t[i - 1 : i + 1] in gz.COMMON_WORD_WHITELIST):
                continue
            out.append(Candidate(i, m.end(), Kind.TEACHER_TITLE, Severity.LOW, REASONS["teacher_title"],
                                 {"surname": sur, "title": t[i + len(sur) : m.end()]}))
        for m in self._nickname_re.finditer(t):
            word = m.group()
            i = m.start()
            if word in declared:
                continue
            if not t[max(0, i - 2) : i].endswith(_NAMING_CUES):  # 她叫小雨: named, whatever the word
                if word in gz.NICKNAME_EXCLUSIONS or word in gz.COMMON_WORD_WHITELIST:
                    # 小于/小熊 are words, but "小熊陪着她" is a person.
                    if word in gz.HARD_NICKNAME_EXCLUSIONS or word[1] not in self.surnames:
                        continue
                    if not t.startswith(_PERSON_VERBS, m.end()):
                        continue
                if self.lexicon.get(word, 0) >= 1000:
                    continue
                if i > 0 and t[i - 1 : i + 1] in self.lexicon and t[i - 1] not in _BOUNDARY_CHARS:
                    continue  # 大小, 古老, 养老 …
                nxt = t[m.end() : m.end() + 2]
                if len(nxt) == 2 and nxt[0] in self._given_chars and t[m.end() - 1 : m.end() + 1] in self.lexicon:
                    continue  # 小王子, 老李子
                if self.lexicon.get(t[i + 1 : i + 3], 0) > 3000:
                    continue  # 小时间 → 时间
                if t[i : i + 3] in self.lexicon:
                    continue  # 老古董, 小朋友: the nickname shape starts a word
            ch = word[1]
            is_surname = ch in self.surnames and not (word[0] == "阿" and ch in self._given_chars)
            out.append(Candidate(i, m.end(), Kind.NICKNAME, Severity.MEDIUM, REASONS["nickname"],
                                 {"prefix": word[0], "char": ch, "is_surname": is_surname}))
        out += self._kin_and_named_nicknames(t, declared)
        for m in self._lone_compound_re.finditer(t):
            # 欧阳，这是我们班同学: a compound surname alone, how classmates call each other.
            word = m.group(1)
            if word in declared or self.lexicon.get(word, 0) >= 1000 or t[max(0, m.start(1) - 1) : m.start(1)] == "姓":
                continue
            out.append(Candidate(m.start(1), m.end(1), Kind.NICKNAME, Severity.MEDIUM, REASONS["nickname"],
                                 {"prefix": "", "char": word[0], "suffix": "", "is_surname": True}))
        for m in self._sibling_re.finditer(t):
            word = m.group()
            i = m.start()
            if word in declared or word in self.lexicon or m.group(1) in gz.WEAK_SURNAMES:
                continue
            if i > 0 and t[i - 1 : i + 1] in self.lexicon:
                continue
            out.append(Candidate(i, m.end(), Kind.NICKNAME, Severity.MEDIUM, REASONS["nickname"],
                                 {"prefix": "", "char": word[0], "suffix": word[1], "is_surname": True}))
        return out

    def _kin_and_named_nicknames(self, t: str, declared: set[str]) -> list[Candidate]:
        """Nicknames of other shapes: a surname and a kinship word (罗阿姨, 林叔叔), a doubled
        name and a parent (牛牛妈), and a nickname the text names as one (外号叫“铁柱”, 我们都叫她小葵,
        “章鱼”是我们给章宇起的外号); every occurrence of a named nickname is flagged."""
        out: list[Candidate] = []
        M = Severity.MEDIUM
        for m in _KIN_NICKNAME_RE.finditer(t):
            i = m.start()
            sur, kin = m.group(1), m.group(2)
            word = m.group()
            if word in declared or sur not in self._single_surnames or sur in gz.WEAK_SURNAMES:
                continue
            if sur in gz.FUNCTION_CHARS or t[i : i + 2] in self.lexicon or t[i : i + 3] in self.lexicon:
                continue  # 干妈, 大妈, 老妈妈: a kinship word, not a surname before one
            glued = t[i - 1 : i + 1] in self.lexicon
            unsupported = t[i - 1] not in _KIN_LEFT_CHARS and not t[:i].endswith(_KIN_LEFT_WORDS)
            if i > 0 and _CJK_RE.match(t, i - 1) and (glued or unsupported):
                continue
            out.append(Candidate(i, m.end(), Kind.NICKNAME, M, REASONS["nickname"],
                                 {"prefix": "", "char": sur, "suffix": kin, "is_surname": True}))
        for m in _DOUBLED_PARENT_RE.finditer(t):
            pair = m.group(1) * 2
            if pair in declared or self.lexicon.get(pair, 0) >= 1000 or pair in self.res.not_names:
                continue  # 常常, 看看, 天天: words, not a child's name
            if m.group(1) in gz.FUNCTION_CHARS:
                continue
            out.append(Candidate(m.start(), m.end(), Kind.NICKNAME, M, REASONS["nickname"],
                                 {"prefix": "", "char": m.group(1), "suffix": m.group(2), "double": True}))
        named: dict[str, int] = {}
        for rx in _NAMED_NICKNAME_RES:
            for m in rx.finditer(t):
                word = m.group("nick")
                if word in declared or word in gz.FIELD_LABELS or any(c in gz.FUNCTION_CHARS for c in word):
                    continue
                named.setdefault(word, m.start("nick"))
        for word in named:
            for j in _find_all(t, word):
                prefix = word[0] if word[0] in "小老阿" and len(word) == 2 else "阿"
                out.append(Candidate(j, j + len(word), Kind.NICKNAME, M, REASONS["nickname"],
                                     {"prefix": prefix, "char": word[-1], "is_surname": False}))
        return out

    def _name_at(self, t: str, i: int, surname: str) -> tuple[int, bool] | None:
        """Decide whether a name starts at ``i``; return (end, strong_cue)."""
        ls = len(surname)
        g0 = i + ls
        given_chars = self._given_chars
        lex = self.lexicon
        # Candidate lengths: two given characters if plausible, else one.
        lengths = []
        weak = ls == 1 and surname in gz.WEAK_SURNAMES
        if g0 + 1 < len(t) and t[g0] in gz.GIVEN_FIRST_ONLY and t[g0 + 1] not in given_chars:
            return None
        if g0 + 1 < len(t) and t[g0 + 1] != surname and (t[g0 + 1] in given_chars or (
                not weak and "\u4e00" <= t[g0 + 1] <= "\u9fff" and t[g0 + 1] not in gz.FUNCTION_CHARS
                and (g0 + 2 >= len(t) or t[g0 + 2] in _DELIMITERS or t.startswith(self._strong_right, g0 + 2)))):
            lengths.append(2)
        lengths.append(1)
        left_strong = self._has_left_cue(t, i, strong=True)
        left_any = left_strong or self._has_left_cue(t, i, strong=False)
        # 和田紫萱: 和田 is a word, but 和 here joins two people.
        glued_left = ls == 1 and i > 0 and t[i - 1] not in _JOINING_CHARS and (
            t[i - 1 : i + 1] in lex or t[i - 1 : i + 1] in gz.COMMON_WORD_WHITELIST
            or (i > 1 and t[i - 2 : i + 1] in lex)
        )
        if i > 0 and t[i - 1] in "小老阿" and not left_strong:
            return None  # 小李一直…: a nickname, not the name 李一直
        for lg in lengths:
            end = g0 + lg
            name = t[i:end]
            right_strong = t.startswith(self._strong_right, end)
            right_any = right_strong or end >= len(t) or t.startswith(self._right_cues, end) or not (
                "\u4e00" <= t[end] <= "\u9fff"
            )
            strong = left_strong or right_strong
            if lg == 2 and left_strong and t.startswith(_PERSON_ACTS, end - 1):
                continue  # 舍友安然先发现: the name is 安然, 先 is what she did
            if lg == 2:
                # 张伟明天 -> 张伟: the last given char starts a word with what follows.
                nxt2 = t[end - 1 : end + 1]
                if not right_strong and len(nxt2) == 2 and lex.get(nxt2, 0) >= 1000:
                    continue
                head = t[i : g0 + 1]
                head_freq = max(lex.get(head, 0), 5000 if head in gz.COMMON_WORD_WHITELIST else 0)
                if head_freq and not strong and lex.get(nxt2, 0) >= 20:
                    continue  # 温暖平和: two words, not the name 温暖平
                given_freq = lex.get(t[g0:end], 0)
                if not strong and (lex.get(name, 0) >= 5 or head_freq >= 3000 or given_freq >= 5000 or (
                        head_freq and given_freq >= 20) or (end < len(t) and t[end] in "了着过")):
                    continue  # 王国成了: the word 王国, not the name 王国成
            is_word = lex.get(name, 0) >= 5 or name in gz.COMMON_WORD_WHITELIST
            if strong:
                named = t[max(0, i - 2) : i].endswith(_NAMING_CUES) or t.startswith("(化名)", end)
                if is_word and not named and (lex.get(name, 0) >= 500 or not t.startswith("同学", end)):
                    continue  # a word after 朋友/母亲 is a word (朋友谈心); 名叫高峰 is a name
                return end, True
            if is_word or glued_left:
                continue
            if name in self.res.ambiguous and not t.startswith(self._person_right_cues, end):
                continue  # 高明的做法: an everyday word that is also a name needs a person's verb
            if lg == 1:
                # One-character given names need some support from context,
                # unless the character is hardly used outside names (金鑫).
                name_char = t[g0] in gz.NAME_ONLY_CHARS
                if not (left_any or right_any or name_char):
                    continue
                if weak and not (left_any and right_any) and not name_char:
                    continue
                nxt2 = t[end - 1 : end + 1]
                if lex.get(nxt2, 0) >= 20 and not right_any:
                    continue  # 高明天: 明天 is a word
            elif weak and not (left_any or right_any):
                continue
            return end, False
        return None

    def _has_left_cue(self, t: str, i: int, strong: bool) -> bool:
        if i == 0:
            return not strong
        before = t[max(0, i - 4) : i]
        if strong:
            return before.endswith(self._strong_left)
        ch = t[i - 1]
        if not ("\u4e00" <= ch <= "\u9fff"):
            return True
        return before.endswith(self._left_cues)


_PLACE_KINDS = frozenset({Kind.SCHOOL, Kind.HOSPITAL, Kind.DEPARTMENT, Kind.ADDRESS})


def _yield_to_names(places: list[Candidate], names: list[Candidate]) -> list[Candidate]:
    """An organisation or place whose name was stretched leftwards over a person the model found gives way.

    "苏伟更清楚医院", "帮助王学强等贫困地区": the left expansion of a suffix ran over a
    person's name. The place then starts after the name, and is dropped when too little of
    its own is left. A name touching the suffix (中山大学) is the organisation's own.
    """
    if not names:
        return places
    ends = sorted((c.start, c.end) for c in names)
    starts = [a for a, _ in ends]
    out = []
    for c in places:
        suffix = len(c.info.get("suffix", "")) if c.kind != Kind.ADDRESS else 1
        k = bisect.bisect_left(starts, c.start)
        new_start = c.start
        while k < len(ends) and ends[k][0] < c.end:
            b = ends[k][1]
            if b < c.end - suffix:
                new_start = max(new_start, b)
            k += 1
        if new_start == c.start:
            out.append(c)
        elif c.end - suffix - new_start >= 2:
            out.append(Candidate(new_start, c.end, c.kind, c.severity, c.reason, c.info))
    return out


def _joinable(t: str, a_end: int, b_start: int) -> bool:
    return b_start <= a_end or t[a_end:b_start] in ("-", " ")


def _find_all(t: str, word: str) -> Iterable[int]:
    j = t.find(word)
    while j != -1:
        yield j
        j = t.find(word, j + 1)


def _tier(c: Candidate) -> int:
    # A bare grade (高一) yields to a name that contains it (高一帆).
    return 0 if c.info.get("bare") else _TIER[c.kind]


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep a non-overlapping subset: higher tier first, then longer spans."""
    cands.sort(key=lambda c: (-_tier(c), -(c.end - c.start), c.start))
    starts: list[int] = []  # taken intervals, sorted by start
    ends: list[int] = []
    chosen: list[Candidate] = []
    for c in cands:
        if c.end <= c.start:
            continue
        k = bisect.bisect_left(starts, c.end)  # taken intervals starting before c ends
        if k and ends[k - 1] > c.start:
            continue  # the nearest one to the left reaches into c (they never overlap each other)
        starts.insert(k, c.start)
        ends.insert(k, c.end)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999 check character of an 18-character resident ID number."""
    if len(number) != 18 or not (number[:17].isascii() and number[:17].isdigit()):  # not "²" or "١"
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]
