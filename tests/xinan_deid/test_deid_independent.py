"""Classes of misses found on case-report prose written independently (part 5, a development
part), each with invented examples: no person's name, nickname or particular place below is
taken from that part (generic words such as 大一 or 外国语学院 are of course shared)."""

import pytest

from xinan_deid import Kind, detect_fast


def spans(text, kind, fn=detect_fast):
    return [f.text for f in fn(text) if f.kind == kind]


# --- departments and classes after a school ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "department", "grade"),
    [
        ("他是东江理工大学化工学院化工2103班学生。", "化工学院", "化工2103班"),
        ("外国语学院俄语2201班学生，女。", "外国语学院", "俄语2201班"),
    ],
)
def test_class_code_stops_at_the_department_before_it(text, department, grade):
    # Arrange / Act
    flags = detect_fast(text)

    # Assert
    assert department in [f.text for f in flags if f.kind == Kind.DEPARTMENT]
    assert grade in [f.text for f in flags if f.kind == Kind.GRADE_CLASS]


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("院系：史学院　专业：历史学", "史学院"),
        ("下午接到艺术设计学院辅导员的电话。", "艺术设计学院"),
        ("她是商学院研二的学生。", "商学院"),
        ("林海，男，大三，轮机学院学生。", "轮机学院"),
        ("对话西岭师范大学教育学院2021级本科生。", "教育学院"),
    ],
)
def test_department_named_without_its_school_is_flagged(text, department):
    assert department in spans(text, Kind.DEPARTMENT)


@pytest.mark.parametrize(
    "text",
    [
        "全学院学生参加了讲座，各学院辅导员到场。",
        "学院领导高度重视，学院学生会协助。",
        "她想考进一所好的学院学习。",
    ],
)
def test_generic_college_words_are_not_departments(text):
    assert spans(text, Kind.DEPARTMENT) == []


def test_school_does_not_reach_back_over_a_verb_to_a_place():
    # Arrange
    text = "他从汕头来，到漳州读大学已经三年了。"

    # Act
    schools = spans(text, Kind.SCHOOL)

    # Assert
    assert schools == []
    assert "漳州" in spans(text, Kind.ADDRESS)


# --- full names before a title, after a role, in a register --------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("那年我遇到了田园老师，她教我们心理课。", "田园"),
        ("谈话中向晖同学说起初中的事。", "向晖"),
        ("会上，柏舟主任介绍了近三年的数据。", "柏舟"),
        ("邀请省人民医院精神科艾青松主任医师主讲。", "艾青松"),
        ("温雅老师说，她会继续跟进。", "温雅"),
    ],
)
def test_full_name_before_a_title_is_a_name_even_when_it_is_a_word(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


@pytest.mark.parametrize(
    "text",
    [
        "英语老师、数学老师、全班同学、包班老师都来了。",
        "周围同学和相关老师、文科老师、几位任课老师都很关心她。",
        "宿管老师和楼管老师夜里巡查，值班医生随后赶到。",
        "学生与原宿舍同学保持联系。",
        "心理老师、年轻老师、新来的老师轮流值班。",
    ],
)
def test_group_subject_and_duty_words_before_a_title_are_not_names(text):
    assert spans(text, Kind.PERSON_NAME) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("辅导员温情全程陪着她去了医院。", "温情"),
        ("那天舍友安然先回的宿舍。", "安然"),
        ("心理中心主任宁远告诉我，来访的人多了。", "宁远"),
        ("她常给好朋友海鸥发消息。", "海鸥"),
        ("会商的学生石竹，大三，近两周失眠。", "石竹"),
        ("申请人为学生卓越（文学院，汉语言专业）。", "卓越"),
    ],
)
def test_everyday_word_after_a_role_with_a_persons_act_is_a_name(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("记录：文明（团委）", "文明"),
        ("班主任签字：其木格", "其木格"),
        ("学生姓名：娜仁　性别：女", "娜仁"),
    ],
)
def test_register_field_for_a_person_holds_a_name_whatever_the_word(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


@pytest.mark.parametrize(
    "text",
    [
        "学生姓名：不详　性别：女",
        "同学关系，室友关系紧张，学生宿舍，学生公寓、学生干部。",
        "休学期间，每周心理咨询师都会打电话询问近况。",
        "她和来访者母亲打电话说明了情况。",
    ],
)
def test_roles_fields_and_adverbs_are_not_names(text):
    assert spans(text, Kind.PERSON_NAME) == []


# --- places: campuses, buildings, landmarks, places that are also words --------------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("云岭工业大学松涛校区一名男生独自上了天台。", "松涛校区"),
        ("心理中心在南校区开展了团体辅导。", "南校区"),
        ("保安巡到9号学生公寓时发现了她。", "9号学生公寓"),
        ("下午到了北苑6栋512，她不在宿舍。", "北苑6栋512"),
        ("她家在香樟湾小区，11栋3单元902。", "11栋3单元902"),
        ("有人在西区21号楼楼顶。", "21号楼"),
        ("地点：明德楼二楼会议室。", "明德楼"),
        ("夜里，民警在月牙洲附近找到了她。", "月牙洲"),
        ("他在鹭江大桥上站了很久。", "鹭江大桥"),
        ("她常去玄武湖边散步。", "玄武湖"),
        ("他从珲春转学过来，成绩一般。", "珲春"),
        ("她在景洪出生长大。", "景洪"),
        ("发生在北山学生公寓3号楼的事情。", "北山学生公寓3号楼"),
    ],
)
def test_place_known_by_its_context_is_an_address(text, place):
    assert any(place in flagged for flagged in spans(text, Kind.ADDRESS))


@pytest.mark.parametrize(
    "text",
    [
        "本校区、该校区、新校区、各校区都已通知到位。",
        "我们在湖边、河边、海边、小河边走走，在大桥上，在天桥上。",
        "他总在长江边想家。",
        "去宿舍楼、教学楼、行政楼都找过了。",
        "她从楼上下来，在五楼等我。",
    ],
)
def test_generic_places_are_not_addresses(text):
    assert spans(text, Kind.ADDRESS) == []


def test_school_does_not_swallow_a_place_before_a_generic_school():
    # Arrange
    text = "毕业后她去珲春一所中学任教。"

    # Act / Assert
    assert spans(text, Kind.SCHOOL) == []
    assert "珲春" in spans(text, Kind.ADDRESS)


# --- nicknames of other shapes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "nickname"),
    [
        ("信是宿管郝阿姨转交给我的。", "郝阿姨"),
        ("亲爱的彭叔叔：您好！", "彭叔叔"),
        ("寒假前，和蔺妈妈商量了复诊的事。", "蔺妈妈"),
        ("朵朵妈：老师，孩子今天没去上学。", "朵朵妈"),
        ("他说自己的外号叫“石头”，因为从小不爱哭。", "石头"),
        ("病房里的护士都叫她小橙。", "小橙"),
        ("“海豚”是我们给他起的外号，现在海豚休学在家。", "海豚"),
    ],
)
def test_nickname_of_another_shape_is_flagged(text, nickname):
    assert nickname in spans(text, Kind.NICKNAME)


def test_named_nickname_is_flagged_at_every_occurrence():
    # Arrange
    text = "他的外号叫“石头”。后来石头住院了，石头的父母很着急。"

    # Act / Assert
    assert spans(text, Kind.NICKNAME) == ["石头", "石头", "石头"]


@pytest.mark.parametrize(
    "text",
    [
        "她向妈妈哭诉，常常妈妈说不要哭，天天爸爸：别急。",
        "她去找干妈妈，又去看大妈妈。",
        "楼道里有人大喊救命，保安跑了上来。",
    ],
)
def test_kinship_words_and_adverbs_are_not_nicknames(text):
    flags = [f for f in detect_fast(text) if f.kind in (Kind.NICKNAME, Kind.SCHOOL)]

    assert flags == []


def test_quoted_pseudonym_declared_with_its_quotes_is_not_flagged():
    # Arrange
    text = "我的同桌叫“阿果”（化名），她很安静。阿果知道以后哭了。"

    # Act / Assert
    assert spans(text, Kind.NICKNAME) == []


# --- minority names, lists, told names, bylines, phone shapes ------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("报案人：努尔兰·吐尔逊，男，大二。", "努尔兰·吐尔逊"),
        ("我叫帕丽达·吐尔逊，来自伊犁。", "帕丽达·吐尔逊"),
        ("参会：邵雅琴、田园", "田园"),
        ("柯明（班主任）、简一凡（宿管）到场。", "简一凡"),
        ("巡逻员罗振华、向东升前往现场。", "向东升"),
        ("她叫高山，今年十六岁。", "高山"),
        ("三年级（2）班　易思远", "易思远"),
        ("（应用心理学专业 祝晓禾）", "祝晓禾"),
    ],
)
def test_name_in_a_list_a_byline_or_told_is_found(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


def test_name_told_is_not_a_role_noun():
    assert spans("她叫妈妈，他叫醒了我。", Kind.PERSON_NAME) == []


@pytest.mark.parametrize("text", ["电话：0731-8812 576。", "电话0851-3268 014。"])
def test_landline_written_four_and_three_is_a_phone(text):
    assert len(spans(text, Kind.PHONE)) == 1


# --- speakers, classes by number, grades before a term, two-digit years --------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [("09:12 班长-卢青禾：她一早就没来上课。", "卢青禾"), ("霍骁：我这就去宿舍看看。", "霍骁")],
)
def test_speaker_of_a_chat_or_transcript_line_is_a_name(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


def test_field_labels_and_roles_at_a_line_start_are_not_speakers():
    assert spans("时间：下午。\n议题：安全。\n家长：好的。\n结论：无。", Kind.PERSON_NAME) == []


@pytest.mark.parametrize(
    ("text", "grade"),
    [("就在大二下学期，他休学了。", "大二"), ("我是三班的班主任。", "三班"), ("致七班全体家长。", "七班")],
)
def test_grade_before_a_term_and_class_by_its_number_are_flagged(text, grade):
    assert grade in spans(text, Kind.GRADE_CLASS)


def test_a_little_is_not_a_grade():
    assert spans("让我们大一下子都愣住了，分成六班进行。", Kind.GRADE_CLASS) == []


def test_date_with_a_two_digit_year_is_a_full_date():
    assert spans("22年10月3号晚上，她给我打了电话。", Kind.DATE) == ["22年10月3号"]


def test_label_ending_in_a_person_noun_is_not_a_speaker():
    assert spans("谈话人：辅导员\n记录员：学生处", Kind.PERSON_NAME) == []


def test_name_that_is_a_word_is_not_flagged_where_it_is_the_word():
    # Arrange: 温情 is established as a name by the title after it
    text = "温情老师说，她会继续跟进。我们都希望对自己温情一点。温情老师又来了。"

    # Act
    found = [f.start for f in detect_fast(text) if f.kind == Kind.PERSON_NAME]

    # Assert: the first and the last 温情 are the teacher, the middle one the word
    assert found == [0, text.rindex("温情")]


def test_parent_speaker_in_a_chat_is_a_nickname_not_a_name():
    # Arrange
    text = "秦秦妈：收到，谢谢老师。"

    # Act / Assert
    assert spans(text, Kind.NICKNAME) == ["秦秦妈"]
    assert spans(text, Kind.PERSON_NAME) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [("主角是化学院研二的热娜依。热娜依看了一圈。", "热娜依"), ("格尔木的央金卓嘎，绵阳的林小舟。", "央金卓嘎")],
)
def test_transliterated_name_without_interpunct_in_a_persons_place_is_found(text, name):
    assert name in spans(text, Kind.PERSON_NAME)


def test_nickname_named_after_a_comma_is_flagged():
    text = "我们寝室四个人，海豚是我们给孙涛起的外号。"

    assert "海豚" in spans(text, Kind.NICKNAME)


def test_compound_surname_alone_as_an_address_is_a_nickname():
    # Arrange
    text = "司马，这是我们班新来的同学。她姓上官？"

    # Act / Assert: the surname called out is a nickname; after 姓 it is only the surname
    assert spans(text, Kind.NICKNAME) == ["司马"]


def test_name_after_a_role_ending_the_sentence_is_a_name_even_if_a_time_word():
    assert "童年" in spans("我是七班的班主任童年。", Kind.PERSON_NAME)


def test_school_suffix_right_after_a_university_is_its_department():
    # Arrange
    text = "她现在是湘西学院附属大学师范学院的学生。"

    # Act / Assert
    assert "师范学院" in spans(text, Kind.DEPARTMENT)


def test_numbered_school_before_its_students_is_a_school():
    # Arrange
    text = "他原是株洲二中学生，后来转学。"

    # Act / Assert
    assert spans(text, Kind.SCHOOL) == ["株洲二中"]
