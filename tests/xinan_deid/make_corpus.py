"""Generate the synthetic labelled corpus used by the quality tests.

    python tests/xinan_deid/make_corpus.py

Everything is invented: names are drawn from Faker's zh_CN surname and given
name tables and from character lists below, numbers are random (ID numbers
get a valid or a deliberately wrong check character). No real case text.

Two parts are written, with disjoint sentence frames: ``corpus_tuning.jsonl``
(frames A, used while writing the rules) and ``corpus_heldout.jsonl`` (frames
B, never looked at while tuning) so that the held-out figures measure how
well the rules generalise to new wording. Each line is one document:
``{"id", "text", "spans": [{"start", "end", "kind"}]}``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from faker.providers.address.zh_CN import Provider as AddressProvider
from faker.providers.person.zh_CN import Provider as PersonProvider


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated word list (keeps long lists readable)."""
    return tuple(text.split())


OUT_DIR = Path(__file__).parent / "data"
SEED = 20260601

SURNAMES = dict(PersonProvider.last_names)
COMPOUND = _words("欧阳 司马 诸葛 上官 司徒 皇甫 尉迟 公孙 慕容 长孙 宇文 夏侯 令狐 端木 独孤 南宫 呼延 钟离 东方 西门")
# Surnames missing from common tables (only found through context cues).
RARE = ["仉", "乜", "厍", "笪", "訾", "郗", "禚", "逄", "蒯", "隗", "佴", "眭", "缑", "禤", "璩"]
GIVEN_FAKER = list(PersonProvider.first_names)
GIVEN_CHARS = _words(
    "子涵 欣怡 梓涵 晨曦 紫涵 诗涵 梦琪 嘉怡 子萱 雨涵 浩宇 浩然 宇轩 子轩 梓轩 俊杰 思远 一诺 沐阳 奕辰 博文 "
    "天翊 皓轩 明哲 晓东 立新 海燕 春梅 秀兰 丽娟 文静 志刚 建平 卫东 红梅 晓燕 国栋 永刚 振华 德明 玉珍 淑华 "
    "雪梅 文杰 嘉豪 佳怡 梓豪 若曦 语嫣 芷若 婉儿 昊然 一帆 紫萱 梦瑶 逸飞 浩南 家乐 锦华 凯文 思琪 子墨 雨泽 "
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 斌 宇 浩 凯 鹏 琳 晶 婷 慧"
)
PLACES_P = list(AddressProvider.provinces)
PLACES_C = [c for c in AddressProvider.cities]
PLACES_D = list(AddressProvider.districts)
ROADS = _words("人民 解放 建设 胜利 新华 长江 东风 文化 光明 幸福 和平 团结 友谊 青年 育才 学府 振兴 滨河 湖滨 工农")
ESTATES = _words("阳光 碧水 锦绣 翠苑 金色 幸福 和谐 书香 滨江 明珠 时代 丽景 馨园 紫荆 枫林")
SUBJECTS = _words(
    "计算机 数学 物理 化学 生命科学 外国语 经济管理 法学 新闻传播 机械工程 土木工程 护理 临床医学 音乐 美术 "
    "历史 心理学 软件工程 电子信息 马克思主义"
)
SCHOOL_ABBR = _words("北大 清华 人大 北师大 复旦 浙大 华师 武大 中科大 川大 厦大 哈工大 南开 同济 华科 北航")
FAMOUS_HOSPITALS = ["北京大学第六医院", "安定医院", "华西医院", "湘雅二院", "回龙观医院", "北医六院"]
REGIONS = _words(
    "110101 110105 120101 130102 310104 320102 330106 340102 370102 410105 420106 430104 440106 440304 500103 "
    "510104 610113"
)

FILLERS = (
    "他平时很少和别人交流，经常一个人待在宿舍。",
    "最近一段时间，她明显感到学习压力很大，晚上经常失眠。",
    "辅导员了解到这个情况后高度重视，及时与心理健康教育中心取得联系。",
    "咨询师采用了倾听和共情的方法，帮助他慢慢打开心扉。",
    "家长起初认为孩子只是贪玩，对心理问题缺乏认识。",
    "经过几次谈话，他的情绪逐渐平稳，开始向往新的生活。",
    "学校为其办理了休学手续，并安排专人定期回访。",
    "她常常觉得自己不够好，对金钱和时间都缺乏安全感。",
    "白天他看起来很正常，只有到了晚上才会情绪低落。",
    "同学们都很关心他，经常陪他吃饭、散步。",
    "他喜欢读童话，幻想有一个属于自己的王国，说起这些时很高兴。",
    "这种方法效果明显，危机最终得以解除。",
    "期间，心理委员每周向辅导员反映一次情况。",
    "经过评估，咨询师认为需要转介到精神卫生中心就诊。",
    "学院领导高度重视，多次召开会议研究干预方案。",
    "他说自己成绩一直不理想，害怕让父母失望。",
    "当天晚上，宿舍长发现他情绪异常，立即报告了辅导员。",
    "后来她慢慢学会了用运动和写日记的方式调节情绪。",
    "经过一个学期的努力，他的成绩明显提高，人际关系也有所改善。",
    "医生建议家长多陪伴孩子，保证规律作息和按时服药。",
)

# Held-out filler sentences (never used while tuning): ordinary report prose
# full of words that start with a surname character.
FILLERS_B = (
    "她高兴的时候话很多，难过的时候一句话也不说。",
    "我们采用了认知行为疗法，方法简单但效果明显。",
    "他把全部时间都花在游戏上，成绩一落千丈。",
    "在这个过程中，危机干预小组发挥了关键作用。",
    "白天上课时她总是走神，晚上又常常睡不着。",
    "父母离异后，他跟着爷爷奶奶生活，经济条件一般。",
    "孩子向往大城市的生活，却又害怕离开家。",
    "每周一次的团体辅导让她慢慢找回了安全感。",
    "经过专业评估，医生诊断为中度抑郁发作。",
    "学院党委高度重视，成立了专门的工作小组。",
    "她说金钱不是最重要的，关键是有人理解她。",
    "考试前一周，他的焦虑程度明显升高。",
    "辅导员每天晚上都会到宿舍看一看。",
    "当时正值期末考试周，学习任务非常繁重。",
    "任课老师也注意到他上课经常缺勤。",
    "心理中心安排了一名经验丰富的咨询师跟进。",
    "他的家庭关系紧张，与父亲几乎没有交流。",
    "同宿舍的同学轮流陪伴，确保他不单独行动。",
    "经过半年的治疗，她的睡眠和食欲都恢复正常。",
    "学校与家长签订了安全协议书，明确了各方责任。",
    "我们不断反思，这次干预还有哪些地方可以做得更好。",
    "高考失利之后，他一度觉得人生没有希望。",
    "平时他很少主动求助，总是一个人扛着。",
    "在咨询室里，她第一次哭出了声。",
    "方案实施以后，班级氛围明显好转。",
    "她的成长经历中缺少父母的陪伴和关爱。",
    "周围的人都以为他只是性格内向。",
    "这次经历让整个团队对危机干预有了新的认识。",
    "万一出现紧急情况，同学会第一时间拨打值班电话。",
    "关于休学还是继续学习，家长和学校进行了多次沟通。",
)


class Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0

    def add(self, text: str, kind: str | None = None) -> None:
        if kind:
            self.spans.append({"start": self.length, "end": self.length + len(text), "kind": kind})
        self.parts.append(text)
        self.length += len(text)

    def fill(self, frame: str, values: dict[str, tuple[str, str | None]]) -> None:
        """Append ``frame`` with ``{slot}`` placeholders filled from ``values``."""
        i = 0
        while i < len(frame):
            j = frame.find("{", i)
            if j == -1:
                self.add(frame[i:])
                break
            self.add(frame[i:j])
            k = frame.index("}", j)
            text, kind = values[frame[j + 1 : k]]
            self.add(text, kind)
            i = k + 1

    def to_json(self, doc_id: str) -> dict:
        return {"id": doc_id, "text": "".join(self.parts), "spans": self.spans}


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.surnames = list(SURNAMES)
        self.weights = [SURNAMES[s] for s in self.surnames]

    def surname(self) -> str:
        x = self.r.random()
        if x < 0.08:
            return self.r.choice(COMPOUND)
        if x < 0.10:
            return self.r.choice(RARE)
        if x < 0.25:
            return self.r.choice(self.surnames)  # uniform: many rare ones
        return self.r.choices(self.surnames, self.weights)[0]

    def given(self) -> str:
        if self.r.random() < 0.5:
            return self.r.choice(GIVEN_FAKER)
        return self.r.choice(GIVEN_CHARS)

    def person(self) -> tuple[str, str]:
        while True:
            s, g = self.surname(), self.given()
            if s[-1] != g[0]:
                return s, g

    def mobile(self) -> str:
        digits = "1" + self.r.choice("3456789") + "".join(self.r.choice("0123456789") for _ in range(9))
        style = self.r.randrange(7)
        if style == 1:
            digits = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        elif style == 2:
            digits = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        elif style == 3:
            digits = "+86 " + digits
        elif style == 4:
            digits = "+86-" + f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        elif style == 5:
            digits = digits.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        return digits

    def landline(self) -> str:
        area = self.r.choice(["010", "020", "021", "0755", "027", "028", "0571", "024"])
        n = 8 if len(area) == 3 else self.r.choice([7, 8])
        num = self.r.choice("23456789") + "".join(self.r.choice("0123456789") for _ in range(n - 1))
        return self.r.choice([f"{area}-{num}", f"({area}){num}", f"{area} {num}", f"{area}{num}"])

    def id_number(self) -> str:
        region = self.r.choice(REGIONS)
        year = self.r.randint(1975, 2010)
        birth = f"{year}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}"
        body = region + birth + f"{self.r.randint(0, 999):03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
        if self.r.random() < 0.2:  # a typo: wrong check character
            check = self.r.choice([c for c in "0123456789X" if c != check])
        return body + check

    def student_number(self) -> str:
        return str(self.r.randint(2015, 2024)) + "".join(
            self.r.choice("0123456789") for _ in range(self.r.choice([6, 8]))
        )

    def qq(self) -> str:
        return str(self.r.randint(10000, 3999999999))

    def wechat(self) -> str:
        if self.r.random() < 0.4:
            return "wxid_" + "".join(self.r.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(12))
        head = self.r.choice("abcdefghjkmnpqrstwxyz")
        return head + "".join(
            self.r.choice("abcdefghijkmnpqrstuvwxyz0123456789_") for _ in range(self.r.randint(6, 12))
        )

    def email(self) -> str:
        user = "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(self.r.randint(5, 10)))
        return user + "@" + self.r.choice(["qq.com", "163.com", "126.com", "example.edu.cn", "mail.example.cn"])

    def city(self) -> str:
        return self.r.choice(PLACES_C)

    def school(self) -> str:
        c, p = self.city(), self.r.choice(PLACES_P).removesuffix("省").removesuffix("市")
        return self.r.choice(
            [
                f"{c}大学",
                f"{p}师范大学",
                f"{c}第{self.r.choice('一二三四五六七八')}中学",
                f"{c}实验中学",
                f"{c}职业技术学院",
                f"{c}外国语学校",
                f"{p}理工大学",
                f"{c}实验小学",
                f"{c}第{self.r.randint(1, 30)}中学",
                f"{p}{c}师范学院",
                f"{c}{self.r.choice('一二三四')}中",
            ]
        )

    def school_abbr(self) -> str:
        return self.r.choice(SCHOOL_ABBR)

    def department(self) -> str:
        return self.r.choice(SUBJECTS) + self.r.choice(["学院", "系", "专业"])

    def grade_class(self) -> str:
        n = self.r.randint(1, 12)
        return self.r.choice(
            [
                f"高{self.r.choice('一二三')}（{n}）班",
                f"高{self.r.choice('一二三')}({n})班",
                f"初{self.r.choice('一二三')}{n}班",
                f"{self.r.randint(2016, 2024)}级{self.r.choice(SUBJECTS)}{self.r.randint(1, 6)}班",
                f"{self.r.choice('一二三四五六')}年级{n}班",
                f"{self.r.randint(2016, 2024)}级",
            ]
        )

    def address(self) -> str:
        p, c, d = self.r.choice(PLACES_P), self.city(), self.r.choice(PLACES_D)
        road = self.r.choice(ROADS) + self.r.choice(["路", "街", "大道"])
        estate = self.r.choice(ESTATES) + self.r.choice(["小区", "花园", "家园"])
        n, b, u, room = self.r.randint(1, 999), self.r.randint(1, 30), self.r.randint(1, 6), self.r.randint(101, 2505)
        return self.r.choice(
            [
                f"{p}{c}市{d}区{road}{n}号",
                f"{c}市{d}区{estate}{b}栋{u}单元{room}室",
                f"{p}{c}市{road}{n}号{estate}{b}栋",
                f"{c}市{d}区{road}{n}号",
                f"{d}区{estate}{b}栋{room}室",
            ]
        )

    def hospital(self) -> str:
        c, p = self.city(), self.r.choice(PLACES_P)
        return self.r.choice(
            [
                f"{c}市精神卫生中心",
                f"{c}市第{self.r.choice('一二三四五六七')}人民医院",
                f"{p}人民医院",
                f"{c}市中医院",
                f"{c}市第{self.r.choice('一二三四')}医院",
                self.r.choice(FAMOUS_HOSPITALS),
            ]
        )

    def date_full(self) -> str:
        y, m, d = self.r.randint(2015, 2025), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.r.choice([f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m:02d}.{d:02d}"])

    def date_md(self) -> str:
        return f"{self.r.randint(1, 12)}月{self.r.randint(1, 28)}日"


# Sentence frames. Slots: {name} full name of the student, {name2} later
# mention of the same full name, {given} given-name-only mention,
# {other} another person, {nick} nickname, {teacher} surname + title, and
# the number/place slots named after their kind.
FRAMES_A = (
    "当事人{name}，男，就读于{school}{department}，是{grade}的学生。",
    "{name}同学的母亲打来电话，说孩子一夜未归。",
    "辅导员立即拨打{name2}的手机{phone}，但无人接听。",
    "学生{name}的身份证号为{id}，学号{student_no}。",
    "室友{other}反映，{name2}最近经常失眠。",
    "{teacher}第一时间赶到宿舍。",
    "{nick}是他最好的朋友，两人无话不谈。",
    "家长的联系电话是{landline}，住址为{address}。",
    "{date}，{name2}在宿舍留下一封遗书。",
    "经家长同意，{name2}被送往{hospital}就诊。",
    "他的QQ号是{qq}，微信号{wechat}。",
    "咨询师通过邮箱{email}与家长保持联系。",
    "{given}从小由奶奶带大，和父母关系疏远。",
    "{month_day}那天，她给{other}发了一条告别短信。",
    "他高中毕业于{school}，后来考入{abbr}。",
)
FRAMES_B = (
    "来访者{name}（女，20岁）因情绪低落前来咨询。",
    "我们第一次见到{name2}时，她低着头一言不发。",
    "{other}是她的高中同学，现在也在{abbr}读书。",
    "据{teacher}介绍，{name2}在班里成绩中等。",
    "母亲留下的手机号码：{phone}。",
    "学生证号码：{student_no}；身份证：{id}。",
    "{given}说：“我觉得活着没有意义。”",
    "周末，{nick}陪着她去了趟{hospital}。",
    "家住{address}，父母在外地打工。",
    "她在{school}读书，专业是{department}，所在班级为{grade}。",
    "紧急联系人{other}，电话{landline}。",
    "她的微信：{wechat}，QQ：{qq}，电子邮箱：{email}。",
    "事情发生在{date}的深夜。",
    "{month_day}上午，{name2}的父亲赶到学校。",
    "后来，{given}主动约{teacher}谈了一次心。",
    "心理委员{other}每天都会留意{given}的情绪变化。",
)

# A second held-out part, written after the rules were last tuned and
# evaluated once: new frames and new filler prose.
FRAMES_C = (
    "{name}，女，{year_of_study}学生，独生女，父母均为工人。",
    "那段时间{name2}几乎每天都把自己关在房间里。",
    "我和{other}一起去宿舍找{name2}，门是反锁的。",
    "事后得知，{name2}曾在{date}给家里打过电话。",
    "{teacher}当晚一直守在急诊室外。",
    "（联系方式：{phone}，{landline}）",
    "档案显示其身份证号码为{id}，学号：{student_no}。",
    "“{given}，你还好吗？”{nick}轻声问。",
    "考虑到风险较高，建议家长带{name2}到{hospital}做进一步评估。",
    "{name2}的户籍地址是{address}。",
    "在{school}念书期间，她就读的是{department}。",
    "她所在的{grade}共有四十多名学生。",
    "{nick}和{other}商量后，决定先告诉辅导员。",
    "后来我们通过QQ（{qq}）和微信（{wechat}）联系上了{given}。",
    "材料请发送至{email}。",
    "直到{month_day}，{given}才第一次走进咨询室。",
    "她从小在{abbr}附近长大，对那里很熟悉。",
)
FILLERS_C = (
    "那一年她刚满十八岁，对未来充满了迷茫。",
    "团体辅导结束后，大家围坐在一起分享感受。",
    "心理老师的建议是先稳定情绪，再讨论学业问题。",
    "我们注意到，她在谈到家庭时明显回避。",
    "值班老师每两个小时巡查一次宿舍。",
    "高年级的同学主动分享了自己的经验。",
    "经过讨论，危机干预小组决定启动二级预警。",
    "金秋时节，学校组织了心理健康月活动。",
    "他说话时声音很小，常常低着头。",
    "向日葵小组的成员每周聚会一次。",
    "平安夜那天，她收到了室友准备的礼物。",
    "白天和黑夜对他来说没有什么区别。",
    "于是我们调整了干预方案，增加了家访。",
    "这次危机干预持续了整整一个学期。",
    "任何一个细节的疏忽都可能带来严重后果。",
    "学校医务室的医生也参与了会商。",
    "在安全计划书中，她写下了三个求助对象。",
    "随着时间推移，他开始愿意谈论自己的感受。",
)


# A third held-out part, written by someone other than the rules' author after the rules were
# last changed, and evaluated once without any tuning: new frames, new filler prose (with
# ordinary words that begin with a surname character, the usual source of false alarms).
FRAMES_D = (
    "当事人{name}，{year_of_study}，平时话不多，成绩中等。",
    "据室友反映，{name2}最近一周几乎没有去食堂吃饭。",
    "{other}是第一个发现异常的人，她立刻给辅导员打了电话。",
    "我们在{month_day}下午与{given}进行了第一次面谈。",
    "{teacher}连夜联系了家长，并陪同到医院。",
    "家长留下的电话是{phone}，家里座机为{landline}。",
    "学生证上登记的学号为{student_no}，身份证号码{id}。",
    "{nick}说，{given}前几天把自己心爱的书都送人了。",
    "经过评估，建议转介至{hospital}精神科门诊。",
    "她家住在{address}，离学校大约两个小时车程。",
    "{name2}高中毕业于{school}，后来考入现在的{department}。",
    "{grade}的班委轮流陪伴她上课和就餐。",
    "我们请{nick}和{other}留意她在朋友圈里发的内容。",
    "辅导员加了她的微信（{wechat}），也记下了QQ号{qq}。",
    "相关材料已发送至{email}备案。",
    "{date}，{name2}在家长陪同下办理了休学手续。",
    "她说小时候最喜欢去{abbr}的校园里散步。",
)
FILLERS_D = (
    "高明的做法不是说教，而是先倾听。",
    "方向确定之后，团队分工就清楚了。",
    "常态化的关心比一次谈话更重要。",
    "她把窗台上的金属挂件取了下来。",
    "那天她穿着一件白色的外套，显得很疲惫。",
    "向前一步，就能看到不一样的风景。",
    "于是大家决定轮流值守。",
    "任务分配给了每一位小组成员。",
    "平安度过那个周末之后，情况开始好转。",
    "安全计划书一式两份，由学生和心理中心各执一份。",
    "宿舍楼道里的灯一直亮到深夜。",
    "每周三下午是固定的咨询时间。",
    "考试周的压力让很多同学情绪低落。",
    "家长一开始并不理解，认为孩子只是在闹情绪。",
    "心理委员的及时报告起了关键作用。",
    "后续的跟踪回访持续了三个月。",
)

# A fourth held-out part, written after the engine's last change (the 高中 stage, the
# prepositional surnames 由/和 and the everyday words that are also names), with new
# frames and fillers; evaluated once.
FRAMES_E = (
    "{name}，{year_of_study}学生，入学以来一直住校。",
    "那段时间{name2}常常一个人坐在操场边发呆。",
    "第一个察觉到不对劲的是她的同桌{other}。",
    "{month_day}晚上，{given}在宿舍里写下了一封告别信。",
    "{other}和{nick}陪着她走到了心理中心门口。",
    "{teacher}当晚就向学院分管领导作了报告。",
    "紧急联系人的手机号{phone}，单位电话{landline}。",
    "系统里查到她的身份证号为{id}，学号{student_no}。",
    "医生建议她尽快到{hospital}做进一步诊断。",
    "{name2}的户籍地址是{address}。",
    "入校前，{name2}在{school}读了三年书。",
    "现就读于{department}，所在班级为{grade}。",
    "她曾在QQ空间（QQ：{qq}）和微信（{wechat}）上发过一些消极低落的话。",
    "如需了解详情，请发邮件至{email}。",
    "{date}，学校启动了危机干预预案。",
    "{given}后来告诉我们，那天晚上她其实很害怕。",
    "暑假里，{name2}曾跟着父母去{abbr}参加夏令营。",
    "班会课上，{nick}主动提出每天陪{given}去上晚自习。",
)
FILLERS_E = (
    "安静的环境有助于她慢慢平复情绪。",
    "黄昏时分，校园里的人渐渐少了。",
    "方便起见，我们建立了一个小范围的联络群。",
    "常规的心理普查并没有发现异常。",
    "金色的阳光照进咨询室，气氛缓和了许多。",
    "马上就要期末考试了，她担心自己挂科。",
    "简单的问候也能让人感到被关注。",
    "任何一个细节都可能是求助的信号。",
    "白天她表现得和平时没什么两样。",
    "关键在于让她感到有人愿意倾听。",
    "连续几天失眠之后，她的情绪越来越差。",
    "齐心协力，才能守住每一个学生的安全。",
    "石凳上落满了树叶，她却坐了很久。",
    "江边的风很大，同学们劝她回到宿舍。",
    "包括家长在内，所有人都参与了讨论。",
    "明天会更好，这是她在日记里写下的话。",
)


def make_doc(g: Gen, frames: tuple[str, ...], rng: random.Random, fillers_pool: tuple[str, ...]) -> Doc:
    doc = Doc()
    s, gv = g.person()
    full = s + gv
    os_, og = g.person()
    while os_ == s:
        os_, og = g.person()
    other = os_ + og
    given_forms = [gv] if len(gv) == 2 else [gv * 2, "小" + gv]
    nick_surname = rng.choice([x for x in g.surnames if len(x) == 1 and x not in (s, os_)][:80])
    nick = rng.choice(["小", "老"]) + nick_surname if rng.random() < 0.8 else "阿" + rng.choice("强明华伟杰军芳丽")
    teacher = rng.choice([x for x in g.surnames if len(x) == 1][:60]) + rng.choice(_words("老师 辅导员 医生 班主任"))
    values = {
        "name": (full, "person_name"),
        "name2": (full, "person_name"),
        "given": (rng.choice(given_forms), "person_name"),
        "other": (other, "person_name"),
        "nick": (nick, "nickname"),
        "teacher": (teacher, "teacher_title"),
        "school": (g.school(), "school"),
        "abbr": (g.school_abbr(), "school"),
        "department": (g.department(), "department"),
        "grade": (g.grade_class(), "grade_class"),
        "phone": (g.mobile(), "phone"),
        "landline": (g.landline(), "phone"),
        "id": (g.id_number(), "id_number"),
        "student_no": (g.student_number(), "student_number"),
        "qq": (g.qq(), "qq"),
        "wechat": (g.wechat(), "wechat"),
        "email": (g.email(), "email"),
        "address": (g.address(), "address"),
        "hospital": (g.hospital(), "hospital"),
        "date": (g.date_full(), "date"),
        "month_day": (g.date_md(), "date"),
        "year_of_study": (rng.choice(["大一", "大二", "大三", "大四"]), "grade_class"),
    }
    chosen = rng.sample(frames, k=min(len(frames), rng.randint(6, 9)))
    # The full name must come before any given-name-only mention.
    first = next(f for f in frames if "{name}" in f)
    if first in chosen:
        chosen.remove(first)
    chosen.insert(0, first)
    if rng.random() < 0.5:
        decl = "小" + rng.choice([c for c in "张李王刘陈杨赵黄周吴" if c not in nick + s + os_ + teacher])
        doc.add(f"（文中{decl}（化名）为当事人的好友。）")
        chosen.append("{decl}也来看望过她。")
        values["decl"] = (decl, None)
    fillers = rng.sample(fillers_pool, k=4)
    for idx, frame in enumerate(chosen):
        if idx in (1, 3, 5, 7):
            doc.add(fillers[idx // 2])
        doc.fill(frame, values)
    return doc


def build(frames: tuple[str, ...], fillers: tuple[str, ...], n_docs: int, seed: int, prefix: str) -> list[dict]:
    rng = random.Random(seed)
    g = Gen(rng)
    return [make_doc(g, frames, rng, fillers).to_json(f"{prefix}-{i:03d}") for i in range(n_docs)]


def main() -> int:
    OUT_DIR.mkdir(exist_ok=True)
    parts = (
        ("corpus_tuning", FRAMES_A, FILLERS, SEED),
        ("corpus_heldout", FRAMES_B, FILLERS_B, SEED + 1),
        ("corpus_heldout2", FRAMES_C, FILLERS_C, SEED + 2),
        ("corpus_heldout3", FRAMES_D, FILLERS_D, SEED + 3),
        ("corpus_heldout4", FRAMES_E, FILLERS_E, SEED + 4),
    )
    for name, frames, fillers, seed in parts:
        docs = build(frames, fillers, 150, seed, name.removeprefix("corpus_"))
        with open(OUT_DIR / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(name, len(docs), "documents", sum(len(d["spans"]) for d in docs), "spans", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
