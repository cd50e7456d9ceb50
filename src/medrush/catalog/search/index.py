"""The in-memory multilingual search index over the catalog.

Every searchable surface (a product name, a brand, an ingredient's name or synonym in any
language, a symptom term, the pinyin of each Chinese surface) becomes a *key* pointing at a
*target*: a product, an ingredient (all products containing it) or a symptom (all products
indicated for it). A query is cut into *segments* (latin word n-grams, jieba words of Chinese
runs, Korean words with their particles stripped), each segment is matched to keys exactly, by
containment, or fuzzily (trigram candidates + bounded edit distance for latin, bigram overlap
and jamo edit distance for Hangul), and a product's score is the sum over segments of its best
match in each, so a product covering more of the query's symptoms ranks higher.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, SupportsIndex

import numpy as np

from medrush.catalog.products import Product
from medrush.catalog.search.forms import (
    FORM_FAMILIES,
    KO_FORM_TERMS,
    ORAL_FAMILIES,
    named_dosage_forms,
    pack_count,
    query_forms,
    query_packs,
)
from medrush.catalog.search.text import (
    CJK_CHARS,
    MAX_QUERY_CHARS,
    NON_LATIN_CHARS,
    Run,
    Strength,
    bigrams,
    bounded_distance,
    canonical_strength,
    extract_strengths,
    hangul_initials,
    hangul_jamo,
    has_cjk,
    initials_query,
    is_cjk,
    is_hangul,
    join_spaced_characters,
    korean_predicate_forms,
    normalize,
    phonetic_key,
    pinyin_forms,
    plain_initials,
    romanized_hangul,
    script_runs,
    spelling_key,
    strip_pinyin_tones,
    to_catalog_variants,
    to_simplified,
    trigrams,
)
from medrush.catalog.search.vocab import LANGS, Vocabulary
from medrush.kernel.errors import InvalidInput

__all__ = ["KIND_BASE", "MAX_LIMIT", "SearchHit", "SearchIndex", "warm_up"]

# Ranking order: exact name or brand > ingredient > synonym > pinyin > class > symptom > fuzzy. A class word
# ("painkiller", 消炎药, 진통제: a term the ingredient vocabulary lists under two or more
# ingredients) reaches the products containing any of them, a little above a symptom term and
# ranked like one (OTC first).
KIND_BASE = {
    "name": 100.0,
    "brand": 100.0,
    "ingredient": 80.0,
    "synonym": 70.0,
    "pinyin": 60.0,
    "class": 55.0,
    "symptom": 50.0,
    "fuzzy": 40.0,
}
PARTIAL_FACTOR = 0.75  # a key containing the query segment, e.g. 连花清瘟 in 连花清瘟胶囊
COMBINATION_WEIGHT = 0.85  # an ingredient query prefers single-ingredient products
PINYIN_GUESS_MAX_CHARS = 3  # beside a kind not sold, initials this short name nothing carried
TWO_PARTIALS_MAX_CHARS = 10  # a longer run is a sentence, not two pieces of a name
TAIL_INGREDIENT_MIN_CHARS = 3  # a name this long ending another ingredient's (红霉素 in 罗红霉素) is not it
PARTIAL_MAX_KEYS = 60  # a word naming more keys than this is too common to search on alone
SYMPTOM_POSITION_WEIGHT = 0.04
# among equals for a symptom of the throat or mouth, what acts there first (lozenges before granules;
# a gargle for the mouth)
LOCAL_FORM_WEIGHT = 0.002
_THROAT_FORMS = ("lozenges", "throat spray")
LOCAL_FORMS: dict[str, tuple[str, ...]] = {
    "sore_throat": _THROAT_FORMS,
    "hoarseness": _THROAT_FORMS,
    "mouth_ulcers": (*_THROAT_FORMS, "mouthwash", "oral paste"),
    "gum_inflammation": ("mouthwash", "oral paste"),
}
FAMILY_FACTOR = 0.99  # "Nurofen" also reaches "Nurofen for Children", "타이레놀" also "어린이 타이레놀"
HOMOPHONE_QUALITY = 0.9
ROMAN_MIN_SYLLABLES = 3  # a Korean brand this long is also found by its romanization ("tairenol")
HOMOPHONE_MIN_CHARS = 3  # a word of a spaced Chinese name this long is also found by its pinyin
PREFIX_SLIP_MIN_CHARS = 8  # a word this long, one slip from the start of a longer word, may be that word
# a product of the asked form treating what a brand's line treats, when nothing has the line's formula in
# that form ("zyrtec eye drops": antihistamine eye drops), at this share of the brand's score (+ up to 0.05)
SPLIT_WORD_MIN_CHARS = 7  # "thermo meter": two halves joined into a word this long at least
MIXED_LATIN_MAX_CHARS = 3  # 维C, 비타민B12: a short latin tail glued to a Chinese or Korean key
MIXED_HEAD_MAX_CHARS = 6
SUBSTITUTE_FACTOR = 0.9
# a brand with a word its line is not named with ("panadol cold", "omron nebulizer", 鱼跃 血压计): the
# line's products drop to this share of the brand's score, below the products holding the line's
# formula (or, for a device brand, the devices) that are named with it
LINE_LACKS_FACTOR = 0.97
# a route asked for a kind of medicine the rest of the query found only in another route ("antibiotic eye
# ointment", "antihistamine eye drops", "anti inflammatory gel"): the ATC groups (prefixes) of the
# medicines found -> the groups of the same kind of medicine for local use
ROUTE_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "J01": ("S01AA", "S01AE", "S02AA", "S03AA", "D06A"),  # antibacterials: eye, ear, skin
    "J02": ("D01A", "G01AF"),  # antifungals: skin, vaginal
    "J05": ("D06BB", "S01AD"),  # antivirals: skin, eye
    "M01A": ("M02A",),  # NSAIDs: gels and plasters
    "R06A": ("S01GX", "R01AC"),  # antihistamines: eye drops, nasal sprays
    "R01B": ("R01AA", "R01AB"),  # decongestants: nasal sprays and drops
    "H02": ("D07A",),  # corticosteroids: creams
    "D01A": ("D01B",),  # and back: the skin antifungals found, one taken by mouth asked (먹는 무좀약)
}
# oral liquids given to children, and the solid oral forms beside which they are the child's form
LIQUID_ORAL_FORMS = frozenset({"syrup", "oral suspension", "oral solution", "oral drops", "oral liquid"})
# round 29: dissolved or liquid before it is swallowed (after bariatric surgery)
SOLUBLE_ORAL_FORMS = LIQUID_ORAL_FORMS | {"effervescent tablets"}
SOLID_ORAL_FORMS = ("tablets", "capsules")
NAME_START_BONUS = 1.0  # a product named after the query edges ahead of its equals
SECOND_KIND_WEIGHT = 0.1  # "kf94" names a symptom key and begins a product name: the product gains
CHILD_BONUS = 6.0  # "for kids", "儿童", "어린이": paediatric products first among equals
ADULT_AGE = 12  # a product for this age and older is not what "for my kid" asks for
# a query asking for no child is for an adult: a paediatric product (named for children, or a form
# for younger children of a medicine also sold for adults: ibuprofen syrup beside ibuprofen
# tablets) comes after its equals
PAEDIATRIC_PENALTY = 0.5
SAFER_CHOICE_BONUS = 2.5  # what a condition leaves safe (paracetamol when NSAIDs are ruled out) among equals
BACKOFF_FACTOR = 0.5  # the parts of a multi-word query that also matched a product name whole
STRENGTH_BONUS = 15.0
FORM_SCORE = 20.0  # a dosage form named in the query ("eye drops", "栓剂", "파스"): below any meaning
PACK_BONUS = 6.0  # a pack size named in the query ("20 tablets", "14粒") that the product's pack has
TOKEN_BONUS = 4.0
NAMED_FOR_BONUS = 2.0  # a symptom query's word in a medicine's name ("throat lozenges" for "sore throat")
MAX_LIMIT = 100
COMPLETION_MAX_CHARS = 3  # a query this short that matches nothing is completed to a known key ("ib", "感")
# Korean initial consonants (초성, "ㅌㅇㄹㄴ" for 타이레놀): two or more name a key, three or more also
# the keys they begin (two begin too many: "ㅋㅋ"); typed with a double consonant made plain (ㅅ for
# ㅆ) they still find it, a little lower
INITIALS_MIN_CHARS = 2
INITIALS_PREFIX_MIN_CHARS = 3
PLAIN_INITIALS_QUALITY = 0.9
# negative intent: "without pseudoephedrine", "alcohol free", "不含伪麻黄碱的", "슈도에페드린 없는": the named
# ingredient is excluded from the answer (only when the phrase names an ingredient or a class); a dosage form
# ruled out ("not effervescent", 不是肠溶的, 시럽 말고) puts the products of that form out of the answer
NEGATED = (
    re.compile(r"\b(?:without|excluding|minus|free of|no|non|not)[ -]+([a-z][a-z0-9]*(?: [a-z][a-z0-9]*)?)"),
    re.compile(r"\b([a-z][a-z0-9]*)[ -]free\b"),
    # "wont make me drowsy", "doesnt cause drowsiness": what the medicine must not do
    re.compile(
        r"\b(?:wont|won t|will not|doesnt|doesn t|does not|dont|don t|do not|shouldnt|shouldn t)"
        r" (?:make|cause|leave)(?: (?:me|you|him|her|them|us|one))? ([a-z]+)"
    ),
    # "不要含伪麻黄碱的": 不要 with 含 after it is 不含
    re.compile(
        r"(?:不要含有|不要含|不能含|不含|(?<!有)没有|不要|不加|去除|不会|不是|不)([\u4e00-\u9fff]{2,8}?)(?:的|成分|\s|$)"
    ),
    re.compile(
        r"((?:바르는|먹는|뿌리는|붙이는) (?:약|거|것)"
        r"|(?:(?:바르는|먹는|뿌리는|붙이는) )?[\uac00-\ud7a3]{2,12}?)"
        r"(?:이|가)?\s*"
        r"(?:없는|없이|안\s?든|안\s?들어간|빠진|뺀|아닌|말고|빼고)(?=\s|$)"
    ),
    re.compile(r"([\uac00-\ud7a3]{1,8}?)지\s*않는(?=\s|$)"),
)
# what a medicine must not do, said another way: the class word that names it
NEGATED_SAME = {"sleepy": "drowsy", "drowsiness": "drowsy", "tired": "drowsy"}
# a box count closing a product name ("退热贴 6贴", "KF94 口罩 5只", "콘돔 12개", "밴드에이드 30매")
NAME_PACK = re.compile(r"\s\d{1,3}\s?(?:只|片|贴|条|支|袋|粒|人份|매|개|회분)$")
# forms close enough to stand for each other when nothing found has the asked one ("acne cream": the acne
# gels, before any route is changed)
CLOSE_FORMS: dict[str, tuple[str, ...]] = {"cream": ("gel",), "gel": ("cream",)}
# solid forms taken by mouth that a customer names for each other ("cold and flu tablets" for the
# capsules): in the asked form's tier, without its points
SOLID_ORAL_NEIGHBOURS: dict[str, tuple[str, ...]] = {"tablets": ("capsules",), "capsules": ("tablets",)}
DIGITS_BEFORE_WORD = re.compile(r"(?<![a-z\d.])(\d+)([a-z]{4,})\b")  # "999ganmaoling"


# a complaint that followed something ("fever after the vaccine", 接种后发烧, 백신 맞고 열): the complaint is
# asked about even when that something is a kind of product not sold
CAUSED_BY = re.compile(
    r"\b(?:after|since|from|because of|caused by)\b"
    r"|之后|以后|后|完|引起|导致"
    r"|후|맞고|먹고|마시고|때문"
)


# the kind of not_sold.yaml that lists medicines (brands and INNs) no product of the catalog holds
MEDICINES_NOT_CARRIED = "medicines_not_carried"
SYSTEMIC_FAMILIES = frozenset((*ORAL_FAMILIES, "oral", "suppository"))
# a body temperature read on a thermometer ("38.9", "39.5c", "39度", "38도", "102f"): a fever
TEMPERATURE = re.compile(
    r"(?<![\d.])(?:(?:3[7-9]|4[0-2])\.\d(?: ?(?:°c|°|c|度|도|degrees?))?"
    r"|(?:3[89]|4[0-2]) ?(?:°c|°|c|度|도|degrees?)"
    r"|1(?:0[0-5])(?:\.\d)? ?(?:°f|f|degrees?))(?![\d.a-z])"
)
# a word of purpose: what follows is what a thing is for ("ear plugs for sleeping", 助眠用, 수면용)
PURPOSE = re.compile(r"\b(?:for|to)\b|用|为了|治|용\b|위한|위해|쓰는|좋은")
# words joining two things asked for ("sunscreen and tylenol", 防晒霜和泰诺, 선크림이랑 타이레놀)
JOINING_WORDS = frozenset({"and", "plus", "also", "그리고", "하고"})
# round 26: the words that say a thing is a supplement ("biotin supplements", 生物素营养补充, 비오틴 영양제):
# after a kind not sold they name that kind again, not a complaint it brought (the vocabulary reads them as
# the vitamin_deficiency symptom, so "비오틴 영양제" listed vitamin C and Centrum)
SUPPLEMENT_KIND_WORDS = frozenset(
    (
        "supplement",
        "supplements",
        "营养补充",
        "营养补充剂",
        "保健品",
        "营养品",
        "영양제",
        "보충제",
        # round 29: a hangover drink's kind ("여명808 숙취해소", 解酒): what it is, not a hangover it brought
        "숙취해소",
        "解酒",
    )
)
JOINING_LOCAL = ("和", "跟", "还有", "以及", "랑 ", "이랑")


# words that put a burn in the sun: a sunburn
SUN_WORDS = frozenset({"sun", "sunny", "sunlight", "beach", "sunbathing", "sunbathed", "tanning", "sunbed"})
SUN_LOCAL = ("太阳", "晒", "海边", "沙滩", "日光", "햇볕", "햇빛", "해변", "바닷가", "태양")


def _mentions(text: str, words: frozenset[str], local: tuple[str, ...]) -> bool:
    """Whether a normalised query holds one of ``words`` as a whole word, or one of the Chinese or
    Korean ``local`` words anywhere."""
    return bool(words.intersection(text.split())) or any(w in text for w in local)


def _in_the_sun(text: str) -> bool:
    return _mentions(text, SUN_WORDS, SUN_LOCAL)


# round 18: a blister or a tingle on the lip is a cold sore (NHS "Cold sores": tingling, then small
# fluid-filled blisters on the lip; aciclovir cream at the first tingle), not wound care for a rubbed blister
LIP_WORDS = frozenset({"lip", "lips"})
LIP_LOCAL = ("嘴唇", "嘴角", "唇上", "입술")
LIP_BLISTER_WORDS = frozenset({"blister", "blisters", "tingly", "tingling", "tingle", "tingles", "bump"})
LIP_BLISTER_LOCAL = ("泡", "疱", "물집", "수포")


def _lip_blister(text: str) -> bool:
    return _mentions(text, LIP_WORDS, LIP_LOCAL) and _mentions(text, LIP_BLISTER_WORDS, LIP_BLISTER_LOCAL)


# round 19: an itchy red ring, or a rash in a warm, sweaty fold (the groin, between the toes, under the
# breasts), is a fungal infection (tinea cruris / pedis / corporis, intertrigo) until shown otherwise: the
# topical antifungals answer and the corticosteroid creams, alone or combined, go last (NICE CKS "Fungal skin
# infection - body and groin": do not use a topical corticosteroid alone; it can worsen the infection and mask
# it, tinea incognito; NHS "Ringworm", "Athlete's foot", "Intertrigo")
FUNGAL_SHAPE = re.compile(
    r"\bring ?-? ?(?:shaped|shape|like)\b|\b(?:red|itchy|scaly) rings?\b|\bringworm|\bin a ring\b"
    r"|\b(?:circular|round) (?:red )?(?:rash|patch)"
    r"|环状|环形|圈状|一圈|圆圈|圆形的?红|링 ?모양|고리 ?모양|동그란|동그랗|동글|둥근"
)
FUNGAL_FOOT = re.compile(
    r"\bbetween (?:my |the |his |her )?toes\b|\btoe ?webs?\b|脚趾缝|脚趾间|脚趾之间|趾缝|趾间|발가락 ?사이"
)
FUNGAL_FOLD = re.compile(
    r"\bgroin\b|\binner thighs?\b|\bunder (?:my |the |her )?(?:breasts?|boobs?)\b|\bskin folds?\b"
    r"|大腿内侧|大腿根|腹股沟|裆部|胯下|乳房下|胸下面?|皮肤褶"
    r"|사타구니|허벅지 ?안쪽|가슴 ?(?:밑|아래)|살 ?접히는"
)
FUNGAL_SKIN = re.compile(
    r"\b(?:rash|rashes|itchy|itch|itches|itching|red|redness|scaly|flaky|patch|patches)\b"
    r"|疹|痒|红|癣|발진|가려|가렵|빨갛|빨간|빨개|붉|습진"
)
# a diagnosis the person names is theirs: the fungal reading does not replace it
NAMED_SKIN_DIAGNOSES = frozenset(
    {
        "s:eczema",
        "s:hives",
        "s:insect_bites",
        "s:cold_sores",
        "s:shingles",
        "s:acne",
        "s:sunburn",
        "s:minor_burns",
        "s:vaginal_thrush",
        "s:haemorrhoids",
        "s:nail_fungus",
        "s:cuts_wounds",
    }
)
# what a fungal rash is also read as, word by word (an itch, a rash, a dermatitis)
FUNGAL_SIGNS = frozenset(
    {
        "s:itching",
        "s:contact_dermatitis",
        "s:allergy",
        "s:dry_skin",
        "s:skin_infection",
        "s:fungal_skin_infection",
        "s:athletes_foot",
    }
)
AVOID_SKIN_STEROID = "skin steroid"
# round 24: a fungal infection of the body, the groin, the hands or the feet named (jock itch, ringworm, 股癣,
# 완선): a cream, spray or powder, not a shampoo (NICE CKS "Fungal skin infection - body and groin": a
# topical imidazole or terbinafine; SmPC of ketoconazole 2% shampoo: dandruff, seborrhoeic dermatitis and
# pityriasis versicolor, which keep their shampoo)
BODY_FUNGAL = "body fungal"
BODY_FUNGAL_KEYS = frozenset(
    (
        "ringworm",
        "tinea",
        "jock itch",
        "tinea cruris",
        "tinea corporis",
        "体癣",
        "股癣",
        "手癣",
        "백선",
        "완선",
        "사타구니 습진",
    )
)
SCALP_WORDS = re.compile(
    r"(?<![a-z])(?:scalp|hair|head|shampoo|dandruff)(?![a-z])|头|头皮|洗发|머리|두피|샴푸"
)
# red rings around the eyes, a red ring in the eye: the eye, not a fungal rash
FUNGAL_NOT_SKIN = re.compile(r"\beyes?\b|\beyelids?\b|眼|눈")


def _fungal_rash(text: str) -> str | None:
    """The fungal infection a described rash is (``s:athletes_foot`` between the toes, else
    ``s:fungal_skin_infection``), or None."""
    if FUNGAL_SKIN.search(text) is None or FUNGAL_NOT_SKIN.search(text) is not None:
        return None
    if FUNGAL_FOOT.search(text) is not None:
        return "s:athletes_foot"
    if FUNGAL_SHAPE.search(text) is not None or FUNGAL_FOLD.search(text) is not None:
        return "s:fungal_skin_infection"
    return None


# round 20: an eye word beside red, itchy, watery or swollen words is an eye complaint, not a skin rash or an
# itch "down there": the eye drops for allergic conjunctivitis first (an antihistamine such as ketotifen or
# olopatadine), then those for redness and the antihistamine tablets (NHS "Conjunctivitis" and "Hay fever":
# antihistamine eye drops for itchy, watery eyes; NICE CKS "Conjunctivitis - allergic": a topical
# antihistamine or mast-cell stabiliser). The skin under or around the eye (눈 밑, 眼睛下面, 眼袋, "under my
# eyes") is the thin skin of the face: a dermatitis reading, the mildest products first (a zinc-oxide or
# calamine preparation, then plain hydrocortisone; a potent corticosteroid last: BNF "Topical
# corticosteroids", the face and the eyelids take the least potent for the shortest time), and never a
# genital reading of 밑 or 下面
PERIOCULAR = re.compile(
    r"\b(?:under|below|beneath|around|round|underneath)(?: (?:my|the|his|her|their|your|both|one))?"
    r"(?: (?:left|right))? (?:eyes?|eyelids?)\b|\beye ?bags\b|\bbags under\b"
    r"|眼睛?(?:的)?(?:下面|下方|底下|下边|周围|四周)|眼袋|眼周|眼下|眼圈|眼角"
    r"|(?<![가-힣])눈\s?(?:밑|아래|주변|주위)|(?<![가-힣])눈가|(?<![가-힣])눈두덩"
)
EYE_WORD = re.compile(
    r"\b(?:eyes?|eyelids?|eye ?lids?|eyeballs?)\b"
    r"|眼(?!镜|霜|影|线|妆)"
    # 눈 as the eye: not 눈썹 (the eyebrow), 눈치, 눈금, nor snow (첫눈 is kept out by the look-behind)
    r"|(?<![가-힣])눈(?!썹|치|금|사람|싸움|밭|길|송이|보라"
    r"|이 ?(?:와|오|내리|쌓)|에 ?(?:미끄러|빠)|\s?(?:와|오는|내려|내리))"
)
SWELLING_ONLY_KEYS = frozenset({"swelling", "부기", "肿痛"})
EYE_BRUISE = re.compile(r"\bblack eyes?\b|\bbruis|(?<![가-힣])멍|淤青|瘀青|青紫|打青|撞青|磕青")
EYE_BAGS = re.compile(r"\beye ?bags\b|\bbags under\b|眼袋|다크\s?서클|dark circles|黑眼圈")
EYE_ITCHY = re.compile(
    r"\b(?:itchy|itch|itches|itching|itchiness|watery|watering|streaming|teary|tearing|weepy)\b"
    r"|痒|流泪|流眼泪|眼泪|泪汪汪|가려|가렵|간지|간질|눈물"
)
EYE_RED = re.compile(r"\b(?:red|redness|reddish|bloodshot)\b|红|充血|빨갛|빨개|빨간|붉|충혈|벌겋|벌개")
EYE_SWOLLEN = re.compile(r"\b(?:swollen|swelling|swell|puffy|puffed)\b|肿|부었|부어|붓|부은|퉁퉁")
# a skin word said with the eye keeps the skin reading beside the eye's ("a rash on my arms and itchy eyes")
EYE_SKIN_TOO = re.compile(r"\b(?:rash|rashes|skin|spots|patch|patches|hives)\b|皮肤|疹|피부|발진|두드러기")
EYE_SKIN_DIAGNOSIS = re.compile(r"eczema|dermatitis|湿疹|皮炎|습진|피부염")
PERIOCULAR_SKIN = re.compile(
    r"\b(?:itchy|itch|itches|itching|red|redness|rash|dry|flaky|scaly|irritated|sore|eczema|dermatitis)\b"
    r"|痒|红|疹|干|起皮|脱皮|가려|가렵|간지|빨갛|빨개|빨간|붉|발진|건조|각질|따가"
)
# what an eye complaint, or the skin around the eye, is never read as: the skin and genital readings of its
# feeling words
EYE_NOT_READ_AS = frozenset(
    {
        "s:itching",
        "s:contact_dermatitis",
        "s:dry_skin",
        "s:skin_infection",
        "s:fungal_skin_infection",
        "s:athletes_foot",
        "s:vaginal_thrush",
        "s:bacterial_vaginosis",
        "s:itchy_eyes",
        "s:red_eyes",
    }
)
# an eye complaint the person names is theirs (a dry eye, a sticky infected one): no allergy reading added
NAMED_EYE_DIAGNOSES = frozenset({"s:conjunctivitis", "s:dry_eyes", "s:cataract", "s:stye"})
GENITAL_READINGS = frozenset({"s:vaginal_thrush", "s:bacterial_vaginosis"})
# 밑, 아래, 下面 after a body part say where on it (눈 밑, 발밑, 코 밑, 手下面): not the euphemism for
# the genitals (밑이 가려워요, 下面痒)
BODY_PART_BELOW = re.compile(
    r"(?:눈|코|귀|턱|발|팔|손|손톱|발톱|입|입술|가슴|배꼽|겨드랑이|무릎|목|혀|엉덩이)\s?(?:밑|아래)"
    r"|(?:眼睛?|鼻子?|耳朵?|下巴|脚|脚底|手|手臂|胳膊|腋|嘴巴?|嘴唇|胸|乳房|肚脐|指甲|膝盖|脖子|舌头?|屁股)"
    r"(?:的)?(?:下面|底下|下边|下方)"
)
BELOW_WORDS = ("밑", "아래", "下面", "底下", "下边", "下方")
AVOID_FACE_STEROID = "face steroid"


def _eye_complaint(text: str) -> tuple[list[str], bool]:
    """What an eye word said with red, itchy, watery or swollen words is read as (``s:itchy_eyes`` for an
    itch, tears or a swelling, ``s:red_eyes`` for redness; empty when not so), and whether the skin under
    or around the eye is what is described."""
    if EYE_BRUISE.search(text) is not None:
        # a black eye (눈에 멍, 眼睛被打青了) is a bruise: the bruise's products, not the eye's
        return [], False
    periocular = PERIOCULAR.search(text) is not None and PERIOCULAR_SKIN.search(text) is not None
    eye = PERIOCULAR.sub(" ", text)
    if (
        not periocular
        and PERIOCULAR.search(text) is not None
        and EYE_SWOLLEN.search(eye) is not None
        and EYE_BAGS.search(text) is None
    ):
        # round 21: a swelling under or around the eye (눈 밑이 부었어요, 眼睛下面肿了, swollen under my eye)
        # is a swelling of the eyelids, read as an eyelid swollen is (NHS "Eyelid problems": swollen
        # eyelids are most often an allergy, or an infection such as a stye; a pharmacist can suggest
        # antihistamines); eye bags are no complaint
        return ["s:itchy_eyes", "s:red_eyes"], False
    if EYE_WORD.search(eye) is None:
        return [], periocular
    if EYE_SKIN_DIAGNOSIS.search(text) is not None:
        # eczema or a dermatitis of the eyelids: the skin around the eye
        return [], True
    targets = []
    if EYE_ITCHY.search(eye) is not None or EYE_SWOLLEN.search(eye) is not None:
        targets.append("s:itchy_eyes")
    if EYE_RED.search(eye) is not None or (targets and EYE_SWOLLEN.search(eye) is not None):
        targets.append("s:red_eyes")
    return targets, periocular


# what sunburnt skin feels and looks like: beside a day in the sun, a sunburn ("fell asleep on the beach,
# shoulders bright red and stinging", 海边晒了 皮肤红疼, 해변에서 어깨가 빨개지고 따가워요)
SKIN_FEELING_WORDS = frozenset(
    {"red", "stinging", "stings", "burning", "peeling", "blistering", "blistered", "raw", "tender", "hot"}
)
SKIN_FEELING_LOCAL = (
    "红",
    "疼",
    "痛",
    "脱皮",
    "火辣",
    "灼热",
    "빨개",
    "따가",
    "따끔",
    "화끈",
    "벗겨",
    "쓰라",
)
# a diagnosis that explains a sign said with it: an eye infection's red or gritty eye (충혈, 눈곱)
EXPLAINED_BY = {
    "s:conjunctivitis": frozenset({"s:red_eyes", "s:dry_eyes"}),
    # the itch of thrush is no skin itch: no steroid or calamine first
    "s:vaginal_thrush": frozenset({"s:itching"}),
}
# round 23 leftovers: a stye said painful (painful stye, 针眼 疼, 다래끼 아파요): the stye's own answers
# first, then a plain painkiller, paracetamol or ibuprofen, at half a complaint's score (NHS "Stye": a warm
# compress, and painkillers such as paracetamol or ibuprofen for the pain; NICE CKS "Styes": analgesia if
# needed). The pain is the stye's, no other complaint (no lidocaine, no aspirin)
STYE_PAIN = re.compile(r"pain|hurt|sore|ache|aching|throb|疼|痛|아파|아프|아픈|통증|쑤시|욱신")
STYE_KEYS = re.compile(r"(?<![a-z])(?:stye|styes|sty|hordeolum)(?![a-z])|麦粒肿|针眼|睑腺炎|다래끼|맥립종")
STYE_PAINKILLERS = ("paracetamol", "ibuprofen")
STYE_PAINKILLER_SHARE = 0.5
# round 21: a tummy ache said beside a period is its cramps (NHS "Period pain": painful muscle cramps in the
# tummy), not an upset stomach: 大姨妈肚子疼, 생리 중 배 아파요, on my period and my tummy hurts. Only a pain
# said so: a stomach disease beside it (위염, gastritis) stays a complaint of its own
PERIOD_CRAMP_KEY = re.compile(r"pain|ache|hurt|cramp|sore|疼|痛|아파|아프|통")
# where a brand comes from (德國拜耳, 美国进口的): no product name here holds it, so it is taken out before
# the Chinese words are cut (德國拜耳 is otherwise one unknown word that hides 拜耳)
ORIGIN_WORDS = re.compile(r"(?:德|美|韩|韓|英|法)(?:国|國)(?:产|產)?|进口|進口|原装|原裝")
# the weather is no complaint: "the cold winter wind", "cold weather", "cold air" (chapped hands, not a cold)
COLD_WEATHER = re.compile(
    r"(?<![a-z])cold (?:winter )?(?:wind|winds|weather|air|snap|winter|winters)(?![a-z])"
)
# words that only make a Korean complaint stronger ("목이 너무 아파요"): out of the way of its phrase
KO_INTENSIFIERS = frozenset({"너무", "정말", "진짜", "자꾸", "많이", "엄청", "완전", "계속", "통"})


# feeling sick on a vehicle is motion sickness ("sick on the ferry", 坐船想吐, 버스 타면 토할 것 같아요)
VEHICLE_WORDS = frozenset(
    {
        "car",
        "cars",
        "bus",
        "coach",
        "boat",
        "boats",
        "ferry",
        "ship",
        "cruise",
        "plane",
        "flight",
        "flights",
        "flying",
        "train",
        "trains",
    }
)
VEHICLE_LOCAL = (
    "坐车",
    "坐船",
    "坐飞机",
    "坐大巴",
    "车上",
    "船上",
    "飞机上",
    "乘船",
    "버스",
    "비행기",
    "배를 타",
    "배 타",
    "차를 타",
    "차 타",
    "배에서",
    "차에서",
    "기차",
)
# a feeling in a body part or function names a condition ("burns when I pee", 小便疼, 소변볼 때 따끔): per
# condition, the words of the part (latin words; Chinese or Korean pieces) and of the feeling
BODY_FEELINGS: tuple[tuple[str, frozenset[str], tuple[str, ...], frozenset[str], tuple[str, ...]], ...] = (
    (
        "s:urinary_tract_infection",
        frozenset({"pee", "peeing", "pees", "wee", "weeing", "urinate", "urinating", "urination", "piss"}),
        ("小便", "尿尿", "撒尿", "排尿", "解手", "소변", "오줌", "배뇨"),
        frozenset(
            {
                "burn",
                "burns",
                "burning",
                "sting",
                "stings",
                "stinging",
                "hurt",
                "hurts",
                "hurting",
                "painful",
                "pain",
                "sore",
            }
        ),
        ("疼", "痛", "烧", "灼", "刺", "아파", "아프", "따끔", "따가", "쓰라", "화끈"),
    ),
)


def _body_feeling(text: str) -> str | None:
    words = set(text.split())
    for target, part, part_local, feeling, feeling_local in BODY_FEELINGS:
        if (words & part or any(w in text for w in part_local)) and (
            words & feeling or any(w in text for w in feeling_local)
        ):
            return target
    return None


PAIN_TARGETS = frozenset(
    f"s:{key}"
    for key in (
        "pain",
        "headache",
        "migraine",
        "toothache",
        "back_pain",
        "muscle_pain",
        "joint_pain",
        "period_pain",
        "sprain",
        "sore_throat",
        "stomach_ache",
        "ear_infection",
    )
)
SLEEP_LOST_WEIGHT = 0.1
# the complaints that keep one awake: the sleep lost is theirs (a pain, a cough at night, a blocked nose,
# an itch)
SLEEP_LOST_TO = PAIN_TARGETS | {"s:cough", "s:chesty_cough", "s:stuffy_nose", "s:itching"}
# what the feeling words of BODY_FEELINGS match when read on their own
FELT_AS = frozenset(("s:pain", "s:minor_burns", "s:itching", "s:insect_bites", "s:sunburn"))
NAUSEA_TARGETS = frozenset({"s:nausea", "s:vomiting", "s:dizziness"})


def _sick_on_a_vehicle(segments: list[list[_Match]], text: str) -> bool:
    if not any(m.target in NAUSEA_TARGETS for seg in segments for m in seg):
        return False
    return _mentions(text, VEHICLE_WORDS, VEHICLE_LOCAL)


# a pet as the one with the complaint ("my dog has diarrhoea", 狗狗拉肚子, 고양이가 토해요): the
# pharmacies sell medicines for people, so the answer is nothing; a pet that bit, scratched or set
# off an allergy is the cause of a person's complaint (被猫抓了, "dog bite", 고양이 알레르기) and is
# searched as usual
PET_WORDS = frozenset(
    {
        "dog",
        "dogs",
        "doggy",
        "doggo",
        "puppy",
        "pup",
        "cat",
        "cats",
        "kitty",
        "kitten",
        "rabbit",
        "hamster",
        "parrot",
    }
)
PET_LOCAL = (
    "狗狗",
    "小狗",
    "狗子",
    "我家狗",
    "猫咪",
    "小猫",
    "猫猫",
    "我家猫",
    "宠物",
    "강아지",
    "고양이",
    "반려견",
    "반려묘",
    "햄스터",
    "토끼",
)
PET_OWNER = ("my ", "our ", "the ", "我家的", "我家", "我的", "우리 집", "우리집", "우리 ")
PET_CAUSE = re.compile(
    r"\b(?:bit|bite|bitten|bites|scratch|scratched|scratches|allergy|allergic|allergies|hair|fur)\b"
    r"|咬|抓|挠|过敏|毛|물렸|물려|물었|할퀴|긁|알레르기|알러지|털"
)


def _pet_is_patient(text: str) -> bool:
    """Whether a query begins with a pet (after "my", 我家, 우리) that has the complaint, not caused it."""
    head = text
    for owner in PET_OWNER:
        if head.startswith(owner):
            head = head[len(owner) :].lstrip()
            break
    first = head.split()[0] if head.split() else ""
    if first not in PET_WORDS and not head.startswith(PET_LOCAL):
        return False
    return PET_CAUSE.search(text) is None


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


EN_STOP = _word_set(
    "a an and or for of the to with in on my me i have has had what which best good medicine "
    "medicines medication drug drugs pill pills remedy remedies cure treatment treat relief "
    "otc buy need some something please is are it year years yr yrs old month months aged"
    " son sons daughter daughters boy girl he she hes shes his her"
    # the rest of a question or a sentence about how it feels ("what can i take for", "eyes feel dry",
    # "after eating"): never a name, and never to be read as a misspelt one ("feel" is one edit from "peel")
    " can could do does did you your how when after since there anything take taking use put give sell"
    " get got feel feels feeling felt really so very all up keeps keep like just eat eating ate while"
    # where and how it happened: never a misspelt name ("beach" is one edit from "bleach")
    " beach asleep fell bright from"
    # round 15: "can barely walk down the stairs" is no Viagra ("wak") or barley
    " barely walk walking stairs gym"
    # round 18: "a blister coming up on my lip" is nothing cooling
    " coming"
    # round 19: chat filler ("need smth strong asap"): never a misspelt name ("smth" is one edit from an
    # abbreviation of salmeterol)
    " smth sth smthg smthn asap pls plz plez thx rn idk lol omg tbh ngl"
    # "caught a cold" is no cough ("caught" is one edit from it)
    " caught catch catching"
    # round 25: jabs (vaccinations, "a temperature after her jabs") are no medicine here; unknown, the word
    # was corrected into the pinyin initials "jbs" once the vocabulary grew
    " jab jabs"
    # round 32: who said so ("gp said anaemic", "doc says"): "gp" was read as the pinyin initials of 钙片
    # (calcium tablets) and "says" corrected into another pinyin key, so calcium came before iron
    " gp gps doc docs doctor doctors said says told tells"
    # round 33: the trip a complaint comes with ("car sick on long drives", "roadtrip tmrw help!!"): "long"
    # was one edit from "dong" (dong quai, angelica root, in three tonic pills) and "gets" from Adalat GITS
    " gets long drive drives driving trip trips roadtrip journey tomorrow tmrw tmr help"
)
CHILD_WORDS = _word_set(
    "kid kids child children childrens infant infants baby babies paediatric pediatric junior toddler "
    "toddlers son sons daughter daughters boy girl newborn newborns "
    # 애 (a kid, spoken Korean) only as a whole word: the syllable begins other words (애드빌)
    "애 애가 애는 애를 애한테 애기가"
    # round 21: a child said as a son or a daughter in Korean (딸 only whole: 딸기 is a strawberry), a kiddo
    " 아들 아들이 아들은 아들이가 딸 딸이 딸은 딸아이 kiddo kiddos"
    # a brand sold only for children and read as its ingredient (ingredients.yaml): Calpol is children's
    # paracetamol
    " calpol"
)
TODDLER_WORDS = frozenset(("toddler", "toddlers", "幼儿"))
TODDLER_AGE = 2.0
# a baby with no age given: a child under two, so what is labelled for older children follows (宝宝 is said
# of any small child, and 아이 of any child: neither is a baby)
BABY_WORDS = frozenset(("baby", "babies", "infant", "infants", "婴儿", "아기", "애기", "아가"))
BABY_AGE = 1.0
# "for 2 year old", "3岁", "5살", "18 months": the age a query asks for, in years
AGE_IN_YEARS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d)?) ?(?:years?|yrs?|yo|y o|岁|周岁|살|세)(?![a-z])")
# "my son is 6", "my daughter is 2": a bare number beside a child word is an age in years
BARE_AGE = re.compile(r"(?<![\d.])(1[0-7]|[0-9])(?![\d.%])")
# 다섯 살, and 두 돌 (two first birthdays: two years old; 돌멩이 is a stone)
KO_NUMBER_AGE = re.compile(r"(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열) ?(?:살|돌(?![멩맹]))")
KO_NUMBER_WORDS = ("한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열")
KO_NUMBERS = {w: i for i, w in enumerate(KO_NUMBER_WORDS, 1)}
ZH_NUMBER_AGE = re.compile(r"(?<!十)([一两二三四五六七八九十])(?:周)?岁")
ZH_NUMBERS = {w: i for i, w in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
NEWBORN_WORDS = ("newborn", "新生儿", "신생아")
# round 21: a school year says an age (고1 딸, 初二的儿子, "my son's in grade 7"): the youngest a child
# in that year can be (Korea: 초1 from 6, 중1 from 12, 고1 from 15; China: 小学一年级 from 6, 初一 from
# 12, 高一 from 15; US grade 1 from 6), so a product labelled above that age is not what is asked
SCHOOL_GRADE = re.compile(
    r"(?<![가-힣])(초|중|고)\s?([1-6])(?!\d)|(?<![温烧压最更比太很血])(小学|初|高)([一二三四五六])(?:年级)?(?![点些倍度])"
    r"|(?<![a-z])(?:in )?grade ([1-9]|1[0-2])(?!\d)"
)
SCHOOL_START = {"초": 5, "중": 11, "고": 14, "小学": 5, "初": 11, "高": 14}
SCHOOL_AGE_WORDS = (
    ("초등학생", 6.0),
    ("중학생", 12.0),
    ("고등학생", 15.0),
    ("小学生", 6.0),
    ("初中生", 12.0),
    ("高中生", 15.0),
    ("primary school", 5.0),
    ("elementary school", 5.0),
    ("middle school", 11.0),
    ("high school", 14.0),
    ("secondary school", 11.0),
)
# a query about pregnancy: products whose pregnancy note says they are acceptable go first
PREGNANCY_WORDS = _word_set("pregnant pregnancy expecting trimester")
# round 23: a stage of the pregnancy said (임신 초기, early pregnancy; 孕早期, 孕晚期)
PREGNANCY_WORDS_LOCAL = (
    "孕妇",
    "怀孕",
    "孕期",
    "妊娠",
    "孕早期",
    "孕中期",
    "孕晚期",
    "임산부",
    "임신부",
    "임신 중",
    "임부",
    "임신 초기",
    "임신초기",
    "임신 중기",
    "임신중기",
    "임신 후기",
    "임신후기",
    "임신 말기",
    "임신말기",
)
PREGNANCY_BONUS = 4.0
PREGNANCY_TERM = re.compile(
    r"(?:임신|怀孕|孕)\s?\d{1,2}\s?(?:개월|주|个月|周)|\d{1,2}\s?(?:months?|weeks?|wks?)\s?pregnant"
    r"|(?:怀孕|孕)[一二两三四五六七八九十]{1,2}个月"
)
# a query while breastfeeding ("哺乳期", "모유수유 중"): the same, read from the breastfeeding note
BREASTFEEDING_WORDS = _word_set("breastfeeding breast-feeding nursing")
BREASTFEEDING_PHRASES = ("breast feeding", "feeding my baby myself")
BREASTFEEDING_WORDS_LOCAL = ("哺乳", "喂奶", "母乳", "수유", "모유")
# "10 days old", 出生20天, "백일 된 아기" (a hundred days): a newborn's age in days
AGE_IN_DAYS = re.compile(
    r"(?<![\d.])(?:(\d{1,3}) ?(?:days? old|天大|天的|일 된|일된)|백일)"
    # after round 29: 생후 100일 (100 days after birth)
    r"|생후\s?(\d{1,3})\s?일(?!\s?동안)"
)
# after round 29: a baby's age said by a milestone: 돌 (the first birthday: 돌 아기, 돌쟁이, 돌 지난;
# 돌 전, 돌 안 된 under 1) and 满月 (a full month old: 宝宝满月, 刚满月的宝宝); 돌 alone is also a stone,
# so only beside a baby or age word (두 돌, 세 돌 are the second and third birthdays: KO_NUMBER_AGE)
ONE_YEAR_MILESTONE = re.compile(
    r"(?<![가-힣])(?<!두 )(?<!세 )(?<!네 )돌\s?(?:아기|아가|애기|쟁이|지난|된|넘은|지나)|돌잔치"
)
UNDER_ONE_MILESTONE = re.compile(
    r"(?<![가-힣])(?<!두 )(?<!세 )(?<!네 )돌\s?(?:전|안\s?된|도\s?안\s?된|이\s?안\s?된)"
)
FULL_MONTH = re.compile(r"满月")
AGE_IN_MONTHS = re.compile(r"(?<![\d.])(\d{1,2}) ?(?:months?|mos?|个月|개월)(?![a-z])")
# round 27: a baby's age in weeks ("5 week old", "6-week-old", 5周大, 생후 5주) and in Chinese or Korean
# number words ("两个月大的宝宝", "두 달 된 아기"): said with "old" or a baby word, not a duration ("cough for
# 2 weeks")
AGE_IN_WEEKS = re.compile(
    r"(?<![\d.])(\d{1,2})[ -]?(?:weeks?[ -]old|wks?[ -]old|周大|周的(?:宝宝|婴儿|孩子)|周宝宝"
    r"|주\s?된|주\s?아기)"
    r"|생후\s?(\d{1,2})\s?주"
)
ZH_NUMBER_MONTHS = re.compile(
    r"(?<![怀孕])(十[一二]|[一两二三四五六七八九十])个月(?:大|的(?:宝宝|婴儿|孩子|小孩)|宝宝|婴儿)"
    # after round 29: the baby word first (宝宝七个月, 宝宝 九个月)
    r"|(?:宝宝|婴儿|孩子|小孩)\s?(十[一二]|[一两二三四五六七八九十])个月(?!了?(?:没|不|一直|都))"
)
KO_NUMBER_MONTHS = re.compile(r"(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?달\s?(?:된|짜리|아기|아가|애기)")
CHILD_WORDS_LOCAL = (
    "儿童",
    "小儿",
    "婴儿",
    "宝宝",
    "孩子",
    "小孩",
    "幼儿",
    "小朋友",
    "어린이",
    "소아",
    "유아",
    "아기",
    "애기",
    "아가",
    "아이",
    # round 21: 娃 (a child, everyday speech: 娃发烧, 我家娃), a son or a daughter
    "娃",
    "儿子",
    "女儿",
    "闺女",
    "little one",
    # round 25: the same typed short ("ibuprofen for my lil one, shes 2")
    "lil one",
)
# words of EN_FORM_WORDS that say how a form is made or taken, not what it is
EN_FORM_QUALIFIERS = _word_set(
    "oral for release sustained sustained-release film-coated chewable effervescent gastro-resistant"
)
# who the medicine is for, besides a child: a modifier, never the thing asked for ("calcium for elderly")
PERSON_WORDS = _word_set(
    "adult adults elderly senior seniors old mum mom mother dad father wife husband grandma grandpa"
    " grandmother grandfather woman women man men lady ladies parent parents teen teens teenager family"
)
PERSON_WORDS_LOCAL = (
    "成人",
    "大人",
    "老人",
    "老年人",
    "妈妈",
    "爸爸",
    "父母",
    "奶奶",
    "爷爷",
    "外婆",
    "外公",
    "老婆",
    "老公",
    "女性",
    "男性",
    "성인",
    "어른",
    "노인",
    "엄마",
    "아빠",
    "할머니",
    "할아버지",
    "부모님",
    "아내",
    "남편",
    "여성",
    "남성",
)
# a sentence about how one feels or what one wants ("my lower back is killing me", "eyes feel dry and
# gritty"): its other words describe, they do not name a thing the catalog lacks
EN_SENTENCE = _word_set(
    "i im my me is are am was feel feels feeling felt have has had got keeps keep can could should would"
    " what how when why do does did it its hey hi hello think"
)
ZH_STOP = _word_set(
    "药 的 了 吃 用 买 有 和 与 或 我 你 他 她 什么 怎么 怎么办 治 治疗 一下 一点 哪个 好 "
    "药物 药品 请问 需要 想 要 能 可以 吗 呢 啊 还 也 很 有点 "
    "老是 总是 一直 比较 岁 周岁 个月 安全"
)
# what a pinyin query may add after a key: 退烧药 typed "tuishaoyao"
PINYIN_FILLER = frozenset(("yao", "yaopin", "yaowu", "de", "pian", "jiaonang", "keli", "zhiliao"))
KO_STOP = _word_set(
    "약 약품 좀 추천 뭐 뭘 무슨 먹는 먹을 있나요 있어요 때 주세요 그리고 및 와 과 랑 살 세 개월 "
    "너무 정말 진짜 자꾸 많이"
    # a question comparing two ("판콜이랑 판피린 중에 뭐가 더 잘 들어요"): never a name
    " 중에 중 뭐가 어느 게 더 잘 들어요 듣나요 듣는 나아요 좋아요 나은 차이 차이가 뭐예요 어떤"
    # "어떻게 해요": how to go about it, never 토해요 (vomiting) one jamo away
    " 어떻게 해요 해야 하죠 돼요 되나요 찾아요 찾는데 찾고 있어요"
    # round 21: 났어요 (it came up) alone is no part of 쥐가 났어요 or 땀띠가 났어요 (여드름이
    # 났어요, 다래끼가 났어요)
    " 났어요 났는데 났다 났네 났을 났고 났어"
    # round 32: and 나요 / 나와요 (it comes out) alone, of 귀에서 진물 나요 (a discharging ear), is no
    # 열나요 (a fever) one syllable away: ibuprofen was answered
    " 나요 나와요 나오는데 나오고 나와서 나는데"
    # round 29: 퉁퉁 (all puffed up) says how much, never a name (5살 아이 모기 물린 데 퉁퉁
    # 부었어요 was answered with nothing)
    " 퉁퉁 팅팅"
)
KO_PARTICLES = ("이", "가", "을", "를", "은", "는", "도")  # dropped in speech: "배가 아파요" = "배 아파요"
KO_SUFFIXES = (
    "입니다",
    "이에요",
    "인지",  # round 26: "독감인지 코로나인지": whether it is X
    "인데",  # round 26: "생리 중인데", "감기인데": being X, and ...
    "에서",
    "에는",
    "으로",
    "약을",
    "약이",
    "약은",
    "약",
    "정",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에",
    "도",
    "용",
)
EN_FORM_WORDS = _word_set(
    "tablet tablets capsule capsules granules granule cream ointment gel syrup drops spray "
    "powder sachets solution suspension lozenges patch patches suppositories oral for release "
    "sustained sustained-release film-coated chewable effervescent gastro-resistant"
)
ZH_FORM_SUFFIXES = (
    "缓释胶囊",
    "缓释片",
    "肠溶片",
    "肠溶胶囊",
    "泡腾片",
    "分散片",
    "咀嚼片",
    "口服溶液",
    "口服液",
    "混悬液",
    "颗粒",
    "胶囊",
    "软胶囊",
    "片",
    "糖浆",
    "软膏",
    "乳膏",
    "凝胶",
    "滴眼液",
    "喷雾剂",
    "栓",
    "散",
    "丸",
    "贴",
)
ZH_FORM_WORDS = frozenset(
    (
        *ZH_FORM_SUFFIXES,
        "糖浆",
        "口服液",
        "喷剂",
        "滴剂",
        "药膏",
        "膏",
        "贴剂",
        "滴鼻液",
        "冲剂",
        "药水",
    )
)
# everyday words for a dosage form, rewritten to the word product names use
ZH_ALIASES = {
    "眼药水": "滴眼液",
    "眼药": "滴眼液",
    "冲剂": "颗粒",
    "药膏": "软膏",
    # Hong Kong and Taiwan words (after traditional characters are made simplified): 維他命C, 鼻敏感,
    # 暈浪丸 (seasick pills), 肚屙 (diarrhoea), 傷風 (a cold), 探熱針 (a thermometer)
    "维他命": "维生素",
    "鼻敏感": "鼻过敏",
    "晕浪": "晕船",
    "肚屙": "腹泻",
    "伤风": "感冒",
    "探热针": "体温计",
    # round 28: 制霉素, the short everyday name of 制霉菌素 (nystatin) on Chinese labels and prescriptions (an
    # alias, not a key: as a key it was one character from 红霉素, erythromycin, which is not carried)
    "制霉素": "制霉菌素",
}
KO_ALIASES = {"안약": "점안액"}  # whole words only: 불안약 is no eye drop

log = logging.getLogger(__name__)
_jieba_lock = threading.Lock()
_jieba_tokenizer: Any = None


def _tokenizer() -> Any:
    """The process-wide jieba tokenizer (its dictionary loads once, about a second)."""
    global _jieba_tokenizer
    with _jieba_lock:
        if _jieba_tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _jieba_tokenizer = tokenizer
        return _jieba_tokenizer


def _is_saline_nose(product: Product) -> bool:
    """Whether ``product`` is a saline spray, drop or rinse for the nose (sodium chloride alone)."""
    return product.ingredient_names == ("sodium chloride",) and product.dosage_form in FORM_FAMILIES["nasal"]


def _age_stated(query: str) -> bool:
    """Whether a query gives an age as a number of years, months, weeks or days (round 29: not a "baby" or
    "toddler" word, whose age is a guess)."""
    return any(
        pattern.search(query) is not None
        for pattern in (
            AGE_IN_YEARS,
            AGE_IN_MONTHS,
            AGE_IN_DAYS,
            AGE_IN_WEEKS,
            ZH_NUMBER_MONTHS,
            KO_NUMBER_MONTHS,
            ONE_YEAR_MILESTONE,
            UNDER_ONE_MILESTONE,
            FULL_MONTH,
            # after round 29: an age in number words (一岁半, 한 살) is stated too
            ZH_NUMBER_AGE,
            KO_NUMBER_AGE,
        )
    )


def _asked_age(query: str) -> float | None:
    """The age in years a query asks for ("for 2 year old", "3岁", "5살", "18 months", "toddler"), or None."""
    found = AGE_IN_YEARS.search(query)
    if found:
        return float(found.group(1))
    found = AGE_IN_MONTHS.search(query)
    if found:
        return int(found.group(1)) / 12
    found = AGE_IN_DAYS.search(query)
    if found:
        return int(found.group(1) or found.group(2) or 100) / 365
    found = AGE_IN_WEEKS.search(query)
    if found:
        return int(found.group(1) or found.group(2)) * 7 / 365
    if UNDER_ONE_MILESTONE.search(query):
        return 11 / 12
    if ONE_YEAR_MILESTONE.search(query):
        return 1.0
    if FULL_MONTH.search(query):
        return 1 / 12
    found = ZH_NUMBER_MONTHS.search(query)
    if found:
        word = found.group(1) or found.group(2)
        return (10 + ZH_NUMBERS[word[1]] if len(word) == 2 else ZH_NUMBERS[word]) / 12
    found = KO_NUMBER_MONTHS.search(query)
    if found:
        return KO_NUMBERS[found.group(1)] / 12
    if set(query.split()) & TODDLER_WORDS or any(w in query for w in TODDLER_WORDS if not w.isascii()):
        return TODDLER_AGE
    found = SCHOOL_GRADE.search(query)
    if found:
        if found.group(5):
            return 5.0 + int(found.group(5))
        if found.group(1):
            return float(SCHOOL_START[found.group(1)] + int(found.group(2)))
        return float(SCHOOL_START[found.group(3)] + ZH_NUMBERS[found.group(4)])
    for words_said, school_age in SCHOOL_AGE_WORDS:
        if words_said in query:
            return school_age
    found = KO_NUMBER_AGE.search(query)
    if found:
        return float(KO_NUMBERS[found.group(1)])
    found = ZH_NUMBER_AGE.search(query)
    if found:
        return float(ZH_NUMBERS[found.group(1)])
    words = set(query.split())
    if words & {"newborn", "newborns"} or any(w in query for w in NEWBORN_WORDS if not w.isascii()):
        return 0.0
    if words & CHILD_WORDS or any(w in query for w in CHILD_WORDS_LOCAL):
        found = BARE_AGE.search(query)
        if found:
            return float(found.group(1))
    if words & BABY_WORDS or any(w in query for w in BABY_WORDS if not w.isascii()):
        return BABY_AGE
    return None


# round 31: trying for a baby (trying to conceive, planning a pregnancy, 备孕, 准备要孩子, 임신 준비) is read
# as a pregnancy: a woman trying may be pregnant before she knows, and the labels that rule a medicine out in
# pregnancy say so for one planning it (adapalene SmPC 4.3: contraindicated in pregnancy and in women planning
# a pregnancy; BNF "Tetracyclines": contraindicated in pregnancy; NHS "Trying to get pregnant": check with a
# pharmacist before taking medicines); from memory
PLANNING_PREGNANCY = re.compile(
    r"(?<![a-z])(?:trying (?:for a baby|to conceive|to get pregnant)|ttc|planning (?:a|my) pregnancy"
    r"|planning (?:for )?a baby|want(?:ing)? to get pregnant)(?![a-z])"
    r"|备孕|准备要孩子|准备要宝宝|想要宝宝|计划怀孕|임신\s?(?:준비|계획)|임신을\s?(?:준비|계획)"
)


def _asks_pregnancy(query: str) -> bool:
    return (
        bool(set(query.split()) & PREGNANCY_WORDS)
        or any(w in query for w in PREGNANCY_WORDS_LOCAL)
        or PLANNING_PREGNANCY.search(query) is not None
    )


# a query saying the stomach is delicate (an ulcer, "gentle on the stomach", 不伤胃, 위궤양): the NSAIDs and
# aspirin taken by mouth or rectally go last (they cause and worsen ulcers and bleeding); paracetamol and
# the COX-2 inhibitor celecoxib stay (Beers 2023; BNF "NSAIDs: gastro-intestinal events")
STOMACH_WORDS = re.compile(
    r"(?<![a-z])(?:stomach|peptic|gastric|duodenal) ulcers?(?![a-z])|ulcer in my stomach"
    r"|(?:gentle|easy|kind|soft) on (?:the|my) (?:stomach|tummy)"
    r"|(?:sensitive|weak|delicate) (?:stomach|tummy)"
    r"|(?:stomach|tummy) (?:bleed|bleeding)|胃溃疡|十二指肠溃疡|不伤胃|伤胃|不刺激胃|胃不好|胃出血|护胃|胃病"
    r"|위궤양|십이지장궤양|위에 부담|위가 약|위 안 상하|위장 안 상하|속 안 쓰린|위출혈"
    # round 18: reflux disease said as a condition (GERD, 胃食管反流, 역류성 식도염): the NSAIDs and aspirin
    # irritate the oesophagus and the stomach as they do an ulcer (BNF "NSAIDs: gastro-intestinal events";
    # NICE CKS "Dyspepsia - proven GORD": review NSAIDs and aspirin); the complaint words ("acid reflux"
    # said as the thing felt) stay with the round-16 stomach-complaint rule
    r"|(?<![a-z])(?:gerd|gord|reflux disease|reflux (?:o)?esophagitis|(?:have|got|with) reflux)(?![a-z])"
    r"|胃食管反流(?:病)?|反流性食管炎|返流性食管炎|胃反流|역류성\s?식도염|위식도\s?역류(?:질환|증)?"
)
STOMACH_SPARING = frozenset(("celecoxib",))
# "preservative-free", 不含防腐剂, 방부제 없는: the single-dose packs (unit-dose vials hold no preservative)
# and the products named so go first
PRESERVATIVE_FREE = re.compile(
    r"(?<![a-z])(?:preservative[ -]?free|no preservatives?|without preservatives?"
    r"|free of preservatives?)(?![a-z])"
    r"|(?:不含|无|没有|不要|不加)防腐剂(?:的)?|무방부제|방부제\s?(?:없는|없이|무첨가|프리|안\s?든|안\s?들어간)"
)
PRESERVATIVE_FREE_NAMES = ("preservative-free", "preservative free", "无防腐剂", "무방부제", "single-dose")
PRESERVATIVE_FREE_BONUS = 4.0
# forms of medicine put in the eye, ear or nose
LOCAL_MEDICINE_FAMILIES = frozenset({"eye_drops", "eye_ointment", "ear_drops", "nasal"})
# a route said with a body part (喷鼻子的: a nasal spray): the form, never a complaint of that part
FORM_PHRASES = ("喷鼻子",)
# a form word that is also the name of what it is for: 파스, the pain plaster (a muscle-pain term)
FORM_USES = {"파스": "근육통"}
ZH_ORAL_VERB = re.compile(r"吃药|吃的药|口服药|口服|用吃")  # 不用吃的: nothing to take by mouth
# a query asking for a Chinese patent medicine only (中成药, 不要西药, 한방, "herbal only"): the herbal
# formulas (category tcm, no dosed chemical ingredient: 999感冒灵 with its paracetamol is mixed) first
HERBAL_ONLY = re.compile(
    r"中成药|纯中药|(?:不要|不吃|不用|别)西药|(?<![\uac00-\ud7a3])한방(?:약)?(?=\s|$)|한약|생약 성분"
    r"|(?<![a-z])(?:herbal only|only herbal|chinese medicine|tcm|no western medicine"
    r"|herbal (?:remedy|remedies|medicine|medicines)|natural remedy|natural remedies|no chemicals)(?![a-z])"
)
# the other way round: Western medicine only (한약 말고 양약, 不要中药, "no herbal"): the Chinese patent
# medicines (category tcm, mixed ones included) go last
WESTERN_ONLY = re.compile(
    r"(?<!不要)(?<!不吃)(?<!不用)(?<!别)西药|양약"
    r"|(?<![a-z])(?:western medicine|no herbal|not herbal|non herbal"
    r"|no chinese medicine|not chinese medicine)(?![a-z])"
    r"|(?:不要|不吃|不用|别)(?:中药|中成药)|(?:한약|한방약?|생약)(?:은|는)?\s?(?:말고|빼고|아닌|싫어)"
)
# "can't swallow pills", 吞不下药片, 알약 못 삼켜요: the tablets and capsules are ruled out
CANT_SWALLOW = re.compile(
    r"(?<![a-z])(?:can ?t|cannot|can not|unable to|hard to|difficult to|struggles? to|trouble)"
    r" swallow(?:ing)?(?: (?:pills?|tablets?|capsules?|tabs))?(?![a-z])"
    r"|(?:吞|咽)不下(?:去)?(?:药片|药丸|片剂|胶囊)?|不会吞(?:药片|药丸|药)?"
    r"|(?:알약|약)(?:을|를|은)?\s?(?:못|잘 못)\s?삼키?(?:켜요|켜|켜서|킨대요|킵니다)?"
    r"|삼키(?:기|지)\s?(?:힘들|어려|못)\S*"
)


def _spares_stomach(query: str) -> bool:
    return STOMACH_WORDS.search(query) is not None


# a condition the person has, said beside a complaint ("asthmatic, fever and aches", 有高血压 感冒药, 천식
# 있는데 생리통약, "on blood thinners need something for a headache"): context, not the thing searched. The
# condition's words leave the query when the rest names a complaint it constrains, and the medicines it rules
# out go last: the NSAIDs and aspirin by mouth or rectally with asthma (NSAID-exacerbated bronchospasm), an
# anticoagulant or antiplatelet (bleeding) or a delicate stomach, paracetamol taking their place (BNF
# "Analgesics", "NSAIDs: interactions"; NICE CKS "Anticoagulation - oral"); the sympathomimetic decongestants
# (pseudoephedrine, phenylephrine, oxymetazoline, xylometazoline, methylephedrine, ephedra) with high blood
# pressure, saline and steroid sprays taking their place (BNF "Nasal decongestants, systemic": caution in
# hypertension; MHRA 2008 advice on OTC cough and cold medicines)
# round 21: the words that in everyday speech mean an antibiotic, whatever their characters say (消炎药:
# "anti-inflammatory"; China's National Health Commission's rational-use campaigns: 抗菌药物不是消炎药,
# antibiotics are not anti-inflammatories, and are sold on prescription only; 염증약, "inflammation
# medicine"): beside a complaint they add nothing to it, neither the NSAIDs nor every antibiotic
LAY_ANTIBIOTIC_KEYS = frozenset({"消炎药", "염증약", "염증 약", "염증 치료제"})
# round 31: the word antibiotic itself beside a complaint ("antibiotic for strep throat", 扁桃体炎 抗生素,
# 편도염 항생제) asks for one: the antibiotics treating the complaint (prescription-only) are not put after
# every OTC product the complaint reaches (lozenges for a strep throat); a penicillin allergy still rules the
# penicillins out (round 27) and NICE NG84 (a macrolide in penicillin allergy) orders what is left
ANTIBIOTIC_KEYS = frozenset({"antibiotic", "antibiotics", "抗生素", "抗菌药", "항생제"})
ANTIBIOTIC_ASKED = "antibiotic asked"
# round 31: shingles (대상포진 약, 带状疱疹 吃什么药): the antivirals by mouth (aciclovir, valaciclovir
# tablets; prescription-only) are its treatment and are not put after an OTC aciclovir cream; a form asked
# ("shingles cream") keeps that form first (NICE CKS "Shingles": an oral antiviral within 72 hours of the
# rash; topical antivirals are not recommended; from memory)
SHINGLES_ORAL = "shingles oral"
ANTIBIOTIC_ATC = ("J01", "D06A", "S01A", "S02A", "A07AA")
AVOID_NSAID = "nsaid"
AVOID_DECONGESTANT = "decongestant"
DECONGESTANTS = frozenset(
    ("pseudoephedrine", "phenylephrine", "oxymetazoline", "xylometazoline", "methylephedrine", "ephedra herb")
)
# round 22: pregnancy beside a cold or a blocked nose: saline, the steroid sprays and plain paracetamol first,
# a decongestant spray and a cold combination by mouth after them, a decongestant by mouth (alone or in a
# combination) last (UKTIS/BUMPS on decongestants in pregnancy: saline and steam first, a topical
# decongestant for a short time if needed, oral decongestants - first-trimester reports of gastroschisis -
# avoided; NHS "Decongestants": ask a pharmacist or doctor first if pregnant; NHS "Medicines in pregnancy":
# paracetamol)
PREGNANCY_DECONGESTANT = "pregnancy decongestant"
# round 23: indigestion or heartburn in pregnancy: an antacid or an alginate (ingredients all among these)
# first, before the enzymes, the herbal tablets and the acid suppressants the notes rate alike (NHS
# "Indigestion and heartburn in pregnancy": diet and habits first, then an antacid or alginate your
# midwife, pharmacist or doctor recommends; NICE CKS "Dyspepsia - pregnancy-associated": an antacid or
# alginate, an acid suppressant only if these fail)
PREGNANCY_ANTACID = "pregnancy antacid"
# round 32: among those, the alginate and the calcium antacids before the aluminium salts, which tie
# with them by name (怀孕七个月 反酸 烧心 put the aluminium-magnesium chewable first): aluminium antacids
# constipate (BNF "Antacids": aluminium-containing antacids tend to be constipating), and constipation is
# common in pregnancy (NHS "Constipation in pregnancy")
PREGNANCY_ALUMINIUM = frozenset(("aluminium hydroxide", "aluminium phosphate", "hydrotalcite", "magaldrate"))
PREGNANCY_ANTACIDS = frozenset(("calcium carbonate", "sodium alginate", "sodium bicarbonate", "simeticone"))
PREGNANCY_NOSE = "pregnancy nose"
ASTHMA_WORDS = re.compile(r"(?<![a-z])(?:asthma|asthmatic|asthmatics)(?![a-z])|哮喘(?:病人|患者)?|천식")
HYPERTENSION_WORDS = re.compile(
    r"(?<![a-z])(?:high blood pressure|hypertension|hypertensive|blood pressure is high|bp is high"
    # the medicines for it said as context: "on blood pressure pills", "for my blood pressure", 降压药, 혈압약
    r"|(?:blood pressure|bp) (?:pills?|tablets?|meds?|medicines?|medications?)|antihypertensives?"
    r"|for (?:my|his|her|their) (?:blood pressure|bp))(?![a-z])"
    r"|高血压|血压高|血压偏高|고혈압|혈압이 높|(?:降压|降血压|高血压|血压)(?:的)?(?:药|药物|片)"
    r"|혈압\s?약|고혈압\s?약"
)
# the catalog's antihypertensives (ATC C02, C03, C07, C08, C09): one said as taken ("i take amlodipine",
# 在吃氨氯地平, 암로디핀 먹고 있는데) is high blood pressure
ANTIHYPERTENSIVE_ATC = ("C02", "C03", "C07", "C08", "C09")
# an allergy to a medicine said beside a complaint ("allergic to aspirin", 对阿司匹林过敏, 아스피린 알레르기):
# that medicine is ruled out, and for aspirin or any NSAID the whole class goes last (cross-sensitivity: BNF
# "NSAIDs: hypersensitivity"), paracetamol taking its place; a class without its own word in the vocabulary is
# named by its ATC group (the penicillins, J01C)
ALLERGY_BEFORE = re.compile(
    r"(?<![a-z])(?:allergic|allergy|allergies|hypersensitive|hypersensitivity|intolerant|intolerance"
    r"|allergic reaction|reaction)[ ]+to[ ]+(?=\S)"
)
ALLERGY_AFTER = re.compile(
    r"(?<=\S)(?:[ ]*(?:过敏|過敏)|(?:에)?[ ]?(?:알레르기|알러지|알레르기가|알러지가)"
    r"|[ ]+(?:allergy|allergies|allergic))"
)
ALLERGY_CLASSES = {
    "penicillin": "J01C",
    "penicillins": "J01C",
    "青霉素": "J01C",
    "青霉素类": "J01C",
    "페니실린": "J01C",
    "nsaids": "nsaid",
    "anti inflammatories": "nsaid",
    "anti inflammatory": "nsaid",
    # round 28: a sulfonamide ("sulfa") allergy: every sulfonamide the catalog holds (sulfamethoxazole of
    # co-trimoxazole, silver sulfadiazine) is ruled out (co-trimoxazole and silver sulfadiazine SmPCs 4.3:
    # hypersensitivity to sulfonamides; NICE NG109: nitrofurantoin or another choice for a UTI; from memory)
    **dict.fromkeys(
        (
            "sulfa",
            "sulpha",
            "sulfa drugs",
            "sulfa drug",
            "sulfonamide",
            "sulfonamides",
            "sulphonamide",
            "sulphonamides",
            "磺胺",
            "磺胺类",
            "磺胺药",
            "磺胺类药",
            "磺胺类药物",
            "설파",
            "설파제",
            "설파계",
            "설폰아미드",
        ),
        "sulfonamide",
    ),
}
# round 27: a penicillin allergy puts the cephalosporins (ATC J01D) by mouth below every other result: a
# cross-sensitivity (BNF "Penicillins": about 0.5-6.5% of penicillin-sensitive patients are also allergic to
# the cephalosporins; those with a history of immediate hypersensitivity to penicillins should not receive
# one; NICE NG84 "Sore throat (acute)": a macrolide for penicillin allergy; from memory): last, not removed,
# since after a non-immediate reaction a prescriber may still choose one
PENICILLIN_ATC = "J01C"
CEPHALOSPORIN_ATC = "J01D"
AVOID_CEPHALOSPORIN = "cephalosporin"
ANTICOAGULANT_WORDS = re.compile(
    r"(?<![a-z])(?:blood thinners?|blood[ -]thinning (?:pills?|tablets?|meds?|medicines?|medications?)"
    r"|anticoagulants?|anti-coagulants?|anticoagulation|antiplatelets?|anti-platelets?"
    # round 20: an anticoagulant or antiplatelet named, with or without a cue word ("warfarin headache",
    # "on apixaban and pulled a muscle"); aspirin is left out: "aspirin headache" asks for aspirin
    r"|warfarin|coumadin|marevan|jantoven|apixaban|eliquis|rivaroxaban|xarelto|edoxaban|lixiana|savaysa"
    r"|dabigatran|pradaxa|clopidogrel|plavix|ticagrelor|brilinta|brilique|prasugrel|efient)(?![a-z])"
    r"|抗凝(?:血)?药?|抗血小板(?:药)?|抗血栓(?:药)?|华法林|阿哌沙班|艾乐妥|利伐沙班|拜瑞妥|艾多沙班|达比加群"
    r"|泰毕全|氯吡格雷|波立维|替格瑞洛|倍林达|(?:稀释血液|血液稀释)的?药"
    r"|항응고제|항응고|항혈소판제|항혈전제|와파린|쿠마딘|아픽사반|엘리퀴스|리바록사반|자렐토|에독사반|릭시아나"
    r"|다비가트란|프라닥사|클로피도그렐|플라빅스|티카그렐러|브릴린타"
    r"|피\s?(?:를\s?)?묽게\s?(?:하는|해주는|만드는)\s?약|혈액\s?희석제"
)
# round 20: an anticoagulant or antiplatelet beside a pain, a fever, a sprain or a bruise: the NSAIDs and
# aspirin by mouth go below every other result (a tier, not points: a sprain matched by the NSAIDs outweighed
# the round-14 penalty), and the NSAIDs and salicylates rubbed on the skin go below the other answers
# (paracetamol, a cold pack, a bandage) but above those (BNF "NSAIDs": interactions with anticoagulants;
# BNF "Topical NSAIDs": less systemic absorption, interactions less likely but possible; diclofenac gel
# labels: "NSAIDs, including diclofenac topical gel, may increase the risk of bleeding events", tell the
# doctor about warfarin; NICE CKS "Anticoagulation - oral": avoid OTC NSAIDs and aspirin)
AVOID_BLEEDING = "bleeding"
SPRAIN_OR_BRUISE = frozenset({"s:sprain", "s:bruises"})
ANTICOAGULANT_PAIN_SHARE = 0.95
BLEEDING_TARGETS = frozenset({"s:bruises"})
SALICYLATE_RUBS = frozenset({"methyl salicylate"})
# round 22: Yunnan Baiyao (云南白药, a haemostatic of confidential formula, notoginseng-based) acts on
# clotting and has no interaction data with anticoagulants: beside one, its plasters and sprays go with the
# rubbed NSAIDs and its capsules with the NSAIDs by mouth (Tsai et al., PLoS One 2013, "A review of potential
# harmful interactions between anticoagulant/antiplatelet agents and Chinese herbal medicines"; Zhuang et
# al., Front Pharmacol 2021, "Interaction between Chinese medicine and warfarin": herbs that act on the blood
# change the INR)
HAEMOSTATIC_HERBS = frozenset({"yunnan baiyao powder"})
# round 20: an NSAID named beside asthma ("有哮喘 牙疼能吃布洛芬吗", "asthmatic, can i take nurofen"): a
# caution, not a rule-out (BNF "NSAIDs": bronchospasm in aspirin- or NSAID-sensitive asthma; NHS
# "Ibuprofen for adults": check with a pharmacist if you have asthma): the safer choice first (a few plain
# paracetamol products, in the form for the one asking), then the NSAID asked about, the other NSAIDs by
# mouth below every other result
NSAID_CAUTION = "nsaid caution"
SAFER_FIRST_SLOTS = 3
# round 20: a breastfeeding mother's hay fever, allergy or itch: of the non-sedating antihistamines, which
# her products' notes rate alike, cetirizine and loratadine first, in her form (SPS "Using antihistamines
# during breastfeeding": cetirizine or loratadine are the preferred choices - more experience of use;
# desloratadine, fexofenadine, levocetirizine when those are not suitable)
BREASTFEEDING_ANTIHISTAMINE = "breastfeeding antihistamine"
BREASTFEEDING_ANTIHISTAMINES = frozenset({"cetirizine", "loratadine"})
# round 33: iodine used in the mouth (cydiodine lozenges, 华素片; povidone-iodine gargle) while breastfeeding:
# after the other products, above what a rule rules out ('哺乳期 嗓子疼 含片' listed 华素片 third; LactMed
# "Iodine" and "Povidone-iodine": iodine is concentrated in breast milk and can affect the infant's thyroid,
# avoid in nursing mothers where possible; from memory)
BREASTFEEDING_IODINE_INNS = frozenset({"cydiodine", "povidone-iodine", "iodine"})
ALLERGY_TARGETS = frozenset(
    f"s:{key}" for key in ("hay_fever", "allergy", "hives", "itching", "runny_nose", "sneezing", "itchy_eyes")
)
# round 16: more conditions said beside a complaint, each with what it rules out (the same mechanism)
# kidney disease: the NSAIDs and aspirin last, paracetamol first (BNF "Prescribing in renal impairment":
# avoid NSAIDs, they worsen renal function; NICE CKS "Chronic kidney disease": avoid OTC NSAIDs)
KIDNEY_WORDS = re.compile(
    r"(?<![a-z])(?:(?:chronic )?kidney (?:disease|problems?|trouble|failure|function|impairment|issues?)"
    r"|(?:bad|weak|poor) kidneys?|renal (?:disease|failure|impairment|insufficiency)|ckd)(?![a-z])"
    r"|肾病(?:患者|病人)?|肾功能(?:不全|不好|差|衰竭|减退|不太好)?|肾不好|肾衰(?:竭)?|慢性肾(?:病|衰)?"
    r"|신장\s?(?:병|질환|기능|(?:이\s?)?안\s?좋\S*|(?:이\s?)?나빠\S*|(?:이\s?)?약해\S*)|신부전"
    r"|콩팥\s?(?:병|(?:이\s?)?안\s?좋\S*)"
    # round 28: a kidney transplant (KDIGO "Clinical practice guideline for the care of kidney transplant
    # recipients", 2009: avoid NSAIDs, nephrotoxic with the calcineurin inhibitors ciclosporin and tacrolimus;
    # BNF "Ciclosporin" and "Tacrolimus" interactions: NSAIDs, increased risk of nephrotoxicity; from memory)
    r"|(?<![a-z])(?:kidney|renal) transplant(?:ed|s)?(?![a-z])|transplanted kidney"
    r"|肾移植|换肾|换过肾|신장\s?이식|콩팥\s?이식"
    # round 25: dialysis is kidney failure treated (NICE CKS "Chronic kidney disease": stage 5, on dialysis;
    # BNF "Prescribing in renal impairment": avoid NSAIDs, aspirin at analgesic doses)
    r"|(?<![a-z])(?:(?:haemo|hemo|peritoneal |kidney )?dialysis|end[ -]stage renal(?: disease)?"
    r"|esrd)(?![a-z])"
    r"|(?:血液|腹膜)?透析|血透|腹透|尿毒症|(?:혈액|복막)?\s?투석|말기\s?신부전"
)
# round 25: heart failure or heart disease, a monoamine-oxidase inhibitor taken, an overactive thyroid: beside
# a cold or a blocked nose, what the decongestant labels say to ask a doctor about, or not to take with (21
# CFR 341.80, the US monograph's labelling of OTC nasal decongestants, oral and topical: "Ask a doctor before
# use if you have heart disease, high blood pressure, thyroid disease, diabetes, trouble urinating due to an
# enlarged prostate gland"; the oral ones: "Do not use if you are now taking a prescription monoamine oxidase
# inhibitor (MAOI) ... or for 2 weeks after stopping"; BNF "Sympathomimetics": caution in hyperthyroidism,
# cardiovascular disease; pseudoephedrine and xylometazoline with an MAOI: hypertensive crisis, avoid): the
# round-18/23 high-blood-pressure rule (every decongestant, sprays too, last; the combinations after the
# single medicines; saline first for a blocked nose, plain paracetamol for a cold). Heart failure or heart
# disease beside a pain or a fever also puts the NSAIDs and aspirin by mouth last (BNF "NSAIDs": caution in
# cardiac impairment, fluid retention, contra-indicated in severe heart failure; NICE CKS "Heart failure -
# chronic": avoid NSAIDs); an MAOI beside a cough puts dextromethorphan last (21 CFR 341.74, the labelling of
# OTC antitussives: "Do not use if you are now taking a prescription MAOI"; serotonin syndrome)
HEART_FAILURE_WORDS = re.compile(
    r"(?<![a-z])(?:(?:congestive )?heart (?:failure|disease|condition|problems?|trouble|issues?)"
    r"|(?:bad|weak) heart|cardiac (?:failure|disease|condition|problems?)|chf)(?![a-z])"
    r"|心衰|心力衰竭|心功能不全|心脏病|心脏不好|心脏(?:有)?问题|冠心病"
    r"|심부전|심장\s?(?:병|질환|이\s?안\s?좋\S*|이\s?약해\S*|기능\s?저하)|협심증"
)
MAOI_WORDS = re.compile(
    r"(?<![a-z])(?:maois?|mao inhibitors?|monoamine oxidase inhibitors?|phenelzine|nardil|tranylcypromine"
    r"|parnate|isocarboxazid|marplan|moclobemide|manerix|aurorix|selegiline|eldepryl|emsam|rasagiline|azilect"
    r"|linezolid|zyvox)(?![a-z])"
    r"|单胺氧化酶抑制剂|苯乙肼|反苯环丙胺|异卡波肼|吗氯贝胺|司来吉兰|雷沙吉兰|利奈唑胺"
    r"|마오\s?억제제|모노아민\s?산화효소\s?억제제|페넬진|트라닐시프로민|모클로베미드|셀레길린|라사길린|리네졸리드"
)
HYPERTHYROID_WORDS = re.compile(
    r"(?<![a-z])(?:hyperthyroidism|hyperthyroid|overactive thyroid"
    r"|thyroid (?:disease|problems?|condition|issues?)"
    r"|thyrotoxicosis|graves(?: |['’]s? )disease)(?![a-z])"
    r"|甲亢|甲状腺功能亢进(?:症)?|甲状腺(?:疾病|病|有问题)"
    r"|갑상선\s?(?:기능\s?)?항진증?|갑상선\s?(?:질환|병)|그레이브스병?"
)
# a child or a teenager under 16 (12-15 years old, teenager, 14살, 十四岁, 중학생): aspirin last (Reye's
# syndrome: BNF "Aspirin" - not for under 16s; MHRA 2002/2003 advice), plain paracetamol first
TEEN_WORDS = re.compile(
    r"(?<![a-z0-9])1[2-5][ -]?(?:yo|y/o|yrs?|years?)(?:[ -]old)?(?![a-z])"
    r"|(?<![a-z])(?:teen|teens|teenager|teenagers|teenage|adolescents?)(?![a-z])"
    r"|(?:十[二三四五]|(?<!\d)1[2-5])(?:周)?岁|初中生|青少年|(?<!\d)1[2-5]\s?살|열[두세네다]\s?살|중학생|청소년"
    # round 21: a school year of those ages (중1-3, 고1; 初一-初三, 高一; grades 7-10, middle school)
    r"|(?<![가-힣])(?:중\s?[1-3]|고\s?1)(?!\d)|(?<![温烧压最更比太很血])(?:初[一二三]|高一)(?![点些倍度])"
    r"|(?<![a-z])(?:grade (?:[7-9]|10)(?!\d)|middle school)"
)
AVOID_ASPIRIN = "aspirin"
# round 26: chickenpox (varicella, 水痘, 수두) beside a fever, a pain or the itch: every NSAID and aspirin
# taken by mouth or rectally last, plain paracetamol first in the form for the one asking (NICE CKS
# "Chickenpox": paracetamol for pain or fever, avoid NSAIDs - a risk of severe skin and soft-tissue
# infections; NHS "Chickenpox": do not give ibuprofen unless a doctor advises it; BNF "Aspirin": not under
# 16, Reye's syndrome); alone the words change nothing else
CHICKENPOX_WORDS = re.compile(
    r"(?<![a-z])(?:chicken ?pox|chickenpox|varicella)(?![a-z])|水痘|水豆|(?<![가-힣])수두(?!룩)"
)
AVOID_ALL_NSAIDS = "all nsaids"
# round 31: chickenpox beside the itch ("5 year old with chickenpox so itchy", 水痘 很痒, 수두 가려워요): a
# cooling calamine lotion first, before the antihistamine liquids lifted for a child's age and the antifungal
# and steroid creams the itch also reaches (NHS "Chickenpox": cooling creams or gels, calamine, for the itch;
# a pharmacist about an antihistamine; paracetamol for pain or fever; NICE CKS "Chickenpox": calamine lotion
# or a sedating antihistamine for the itch); from memory
CHICKENPOX_ITCH = "chickenpox itch"
# round 23 leftovers: a teenager's period pain: of the painkillers, an NSAID alone (ibuprofen, naproxen; not
# aspirin) labelled from 12 first, plain paracetamol the alternative after it (NICE CKS "Dysmenorrhoea":
# an NSAID first line - ibuprofen, naproxen - unless contraindicated, paracetamol if an NSAID is not
# suitable; NHS "Period pain": ibuprofen, or paracetamol; aspirin not under 16). The round-16 rule putting
# paracetamol first for a teenager's fever, other pain or cold is unchanged
TEEN_PERIOD_NSAID = "teen period nsaid"
TEEN_PERIOD_NSAIDS = frozenset(("ibuprofen", "dexibuprofen", "naproxen"))
TEEN_MIN_AGE = 12
# with kidney disease the aluminium and magnesium salts (antacids, magnesium laxatives) go last too: they
# accumulate when renal function is reduced (BNF "Antacids" and "Magnesium salts": avoid or reduce the dose in
# renal impairment), the H2 blockers and PPIs taking their place for heartburn
AVOID_ANTACID_METALS = "aluminium and magnesium"
ANTACID_METALS = frozenset(
    (
        "aluminium hydroxide",
        "aluminium phosphate",
        "hydrotalcite",
        "magnesium hydroxide",
        "magnesium carbonate",
        "magnesium oxide",
        "magnesium trisilicate",
        "magaldrate",
    )
)
# round 25: bismuth too (BNF "Bismuth subcitrate potassium" and the De-Noltab SmPC: contra-indicated in severe
# renal impairment - it is excreted by the kidneys and accumulates)
RENAL_BISMUTH = frozenset(("bismuth potassium citrate", "bismuth subsalicylate", "bismuth subcitrate"))
STOMACH_ACID_TARGETS = frozenset({"s:heartburn", "s:indigestion"})
# glaucoma (angle-closure) or an enlarged prostate: the first-generation (antimuscarinic, sedating)
# antihistamines and the oral decongestants last (SmPC of chlorphenamine, diphenhydramine, doxylamine:
# caution in angle-closure glaucoma and prostatic hypertrophy, urinary retention; BNF "Antihistamines" and
# "Nasal decongestants, systemic": caution in prostatic hypertrophy and angle-closure glaucoma)
GLAUCOMA_PROSTATE_WORDS = re.compile(
    r"(?<![a-z])(?:glaucoma|enlarged prostate|prostate (?:problems?|trouble|issues?|enlargement)|bph"
    r"|(?:benign )?prostatic hyperplasia)(?![a-z])|青光眼|前列腺(?:增生|肥大)?|녹내장|전립선\s?(?:비대증?)?"
)
AVOID_SEDATING = "sedating"
AVOID_ORAL_DECONGESTANT = "oral decongestant"
# round 23: glaucoma alone (not an enlarged prostate) beside a red or itchy eye: the vasoconstrictor eye
# drops (naphazoline, tetrahydrozoline, oxymetazoline) below every other result, the lubricating drops the
# answer (21 CFR 349.75, the OTC ophthalmic vasoconstrictor labels: "Ask a doctor before use if you have
# narrow angle glaucoma"; BNF "Sympathomimetics, ophthalmic": avoid in angle-closure glaucoma - they dilate
# the pupil)
GLAUCOMA_WORDS = re.compile(r"(?<![a-z])glaucoma(?![a-z])|青光眼|녹내장")
AVOID_EYE_VASOCONSTRICTOR = "eye vasoconstrictor"
# round 23 leftovers: glaucoma (not an enlarged prostate) beside a cold or a blocked nose: the sympathomimetic
# nasal sprays and drops (xylometazoline, oxymetazoline, naphazoline) in the middle tier, after saline and
# the steroid sprays, above what goes by mouth and is ruled out (NHS "Decongestants": not without a
# pharmacist's or doctor's advice with glaucoma; xylometazoline leaflets, Otrivine: not with narrow-angle
# glaucoma; BNF "Sympathomimetics": caution in angle-closure glaucoma - they dilate the pupil)
GLAUCOMA_NOSE = "glaucoma nose"
NASAL_SYMPATHOMIMETICS = DECONGESTANTS | {"naphazoline", "tetrahydrozoline", "tramazoline"}
EYE_VASOCONSTRICTORS = frozenset(("naphazoline", "tetrahydrozoline", "oxymetazoline", "phenylephrine"))
RED_EYE_TARGETS = frozenset({"s:red_eyes", "s:itchy_eyes"})
# round 23: a cold beside high blood pressure, glaucoma or an enlarged prostate: the products of two or more
# ingredients taken by mouth (the cold combinations: paracetamol with caffeine, amantadine, an
# antihistamine, a cough suppressant; the multi-herb formulas, some holding ephedra) in a tier after plain
# paracetamol, saline and the steroid sprays, above what the condition rules out (caffeine raises the
# blood pressure for some hours: Mesas et al., Am J Clin Nutr 2011; NHS "Decongestants": many cold remedies
# hold one, ask a pharmacist with high blood pressure; the combinations' labels: ask a doctor with glaucoma
# or prostate trouble); pentoxyverine (anticholinergic: its labels, caution in glaucoma and urinary
# retention) with the sedating antihistamines, last
COLD_COMBINATIONS_LATER = "cold combinations later"
AVOID_ANTICHOLINERGIC = "anticholinergic"
# round 23 leftovers: flu beside one of these conditions: plain paracetamol a candidate (its label names the
# fever and the aches, not flu), scored a little above the flu answers so the round-23 lift puts it first
FLU_PARACETAMOL_SHARE = 1.1
# round 25: heart failure or kidney failure beside a complaint: the effervescent tablets (a sodium salt in
# each tablet) after the plain forms of the same medicine (BNF "Effervescent tablets": high sodium content,
# caution where sodium is restricted - heart failure, renal impairment; George et al., BMJ 2013:
# sodium-containing effervescent, dispersible and soluble medicines and more cardiovascular events)
AVOID_SODIUM = "sodium"
# and the antacids made with a sodium salt (BNF "Antacids": avoid those high in sodium where sodium is
# restricted - heart failure, renal impairment)
SODIUM_ANTACIDS = frozenset(("sodium bicarbonate", "sodium alginate"))
# round 25: an herb held only in formulas of this many ingredients or more is no herb the catalog sells alone
FORMULA_HERB_MIN = 4
ANTICHOLINERGIC_COUGH = frozenset(("pentoxyverine",))
SEDATING_ANTIHISTAMINES = frozenset(
    (
        "chlorphenamine",
        "dexchlorpheniramine",
        "diphenhydramine",
        "doxylamine",
        "promethazine",
        "dimenhydrinate",
        "triprolidine",
        "brompheniramine",
        "clemastine",
        "cyproheptadine",
        "carbinoxamine",
        "hydroxyzine",
        # by mouth (eye drops are not systemic): BNF "Antihistamines" lists ketotifen with the sedating
        # ones; Zaditen SmPC 4.7 and 4.8 (drowsiness, impaired reactions). Found when the round-26 test of
        # an older person's hay fever was first read to its full depth (2026-12-07).
        "ketotifen",
    )
)
# an older person (elderly, 70s, 七十多岁, 노인) wanting sleep: the sedating antihistamines last (AGS Beers
# criteria 2023: avoid first-generation antihistamines in older adults - anticholinergic, confusion, falls)
ELDERLY_WORDS = re.compile(
    r"(?<![a-z])(?:elderly|older (?:person|people|adult|adults|parent)|(?:is|aged|age) [6-9]\d"
    r"|[6-9]\d[ -]?(?:yo|y/o|yrs?|years?)(?:[ -]old)?|in (?:her|his|their) (?:[6-9]0s|seventies|eighties)"
    r"|[6-9]0 ?something)(?![a-z])"
    r"|老人(?:家)?|老年人?|[六七八九]十(?:多)?岁|(?<!\d)[6-9]\d(?:多)?岁|노인|어르신|[6-9]0대"
)
SLEEP_TARGETS = frozenset({"s:insomnia"})
# round 26: clopidogrel taken or named beside heartburn or indigestion: omeprazole and esomeprazole by mouth
# last (they inhibit CYP2C19 and reduce clopidogrel's activation: MHRA Drug Safety Update April 2010,
# "Clopidogrel and proton pump inhibitors: interaction - updated advice", avoid omeprazole and esomeprazole;
# the clopidogrel SmPC), the antacids, alginates, famotidine and pantoprazole answering
CLOPIDOGREL_WORDS = re.compile(
    r"(?<![a-z])(?:clopidogrel|plavix|iscover)(?![a-z])|氯吡格雷|波立维|泰嘉|클로피도그렐|플라빅스"
)
AVOID_CYP2C19_PPI = "cyp2c19 ppi"
CYP2C19_PPIS = frozenset(("omeprazole", "esomeprazole"))
# round 20: an older person's constipation: the osmotic laxatives (macrogol, lactulose) before the stimulant
# ones (+2.5; NICE CKS "Constipation": an osmotic laxative when stools stay hard, a stimulant added if they
# are soft but hard to pass; Am Fam Physician 2015 "Management of constipation in older adults": osmotic
# laxatives after lifestyle measures, stimulants only if those fail, for their adverse effects in older
# people). The products' own notes say nothing about age; this is the guidance's order
OSMOTIC_FIRST = "osmotic first"
OSMOTIC_LAXATIVES = frozenset({"macrogol", "lactulose"})
# an SSRI or SNRI taken: dextromethorphan last (serotonin syndrome: BNF "Dextromethorphan" interactions;
# SmPC of sertraline: serotonergic medicines)
SSRI_WORDS = re.compile(
    r"(?<![a-z])(?:sertraline|zoloft|lustral|fluoxetine|prozac|citalopram|escitalopram|lexapro|cipralex"
    r"|paroxetine|seroxat|paxil|fluvoxamine|venlafaxine|effexor|duloxetine|cymbalta|ssris?|snris?"
    r"|antidepressants?|anti depressants?"
    # round 32: an antidepressant said in everyday words ("my depression tablets", 抑郁症的药, 우울증약):
    # most antidepressants taken are SSRIs or SNRIs (NICE CG90: an SSRI first), so the same rule
    r"|depression (?:tablets?|pills?|meds?|medications?|medicines?))(?![a-z])"
    r"|舍曲林|左洛复|氟西汀|百忧解|(?:艾司)?西酞普兰|帕罗西汀|氟伏沙明|文拉法辛|度洛西汀|抗抑郁(?:药|的药)?"
    r"|抑郁症?的?药|治抑郁的药"
    r"|설트랄린|서트랄린|졸로프트|플루옥세틴|프로작|(?:에스)?시탈로프람|렉사프로|파록세틴|벤라팍신|둘록세틴|항우울제"
    r"|우울증 ?약|우울증 치료제|항우울"
)
SEROTONERGIC = frozenset(
    (
        "sertraline",
        "fluoxetine",
        "citalopram",
        "escitalopram",
        "paroxetine",
        "fluvoxamine",
        "venlafaxine",
        "duloxetine",
    )
)
# round 24: an SSRI or SNRI beside a pain or a fever: the NSAIDs and aspirin by mouth last (a tier),
# plain paracetamol first (BNF interactions of the SSRIs and SNRIs with NSAIDs and aspirin: increased
# risk of bleeding; NICE CKS "Depression", SSRIs: avoid an NSAID or aspirin or add gastroprotection;
# NHS "Sertraline": paracetamol is safe with it, not aspirin or ibuprofen without a doctor's advice)
# round 24: methotrexate or lithium beside a pain or a fever: the same (BNF interactions: the NSAIDs
# reduce the renal excretion of methotrexate, risk of toxicity, and of lithium, raising its level;
# NICE CKS "DMARDs", methotrexate: advise against buying NSAIDs, oral ibuprofen or analgesic-dose
# aspirin, over the counter; the lithium patient leaflets (Choice and Medication, used by NHS mental
# health trusts): no anti-inflammatory painkillers such as ibuprofen, they can make the lithium level
# too high)
NSAID_CLEARANCE_WORDS = re.compile(
    r"(?<![a-z])(?:methotrexate|metoject|maxtrex|trexall|otrexup|rasuvo|jylamvo|nordimet|xatmep|mtx"
    r"|lithium|priadel|camcolit|lithobid|eskalith|li-liquid|liskonum)(?![a-z])"
    r"|甲氨蝶呤|氨甲蝶呤|甲氨喋呤|氨甲喋呤|碳酸锂|锂盐|锂剂"
    r"|메토트렉세이트|메토트렉사트|엠티엑스|탄산리튬|리튬"
)
# round 24: an ACE inhibitor, an angiotensin-receptor blocker or a diuretic named (the words, or a carried one
# said as taken: ATC C09, C03) beside a pain or a fever: the same (BNF interactions: the NSAIDs antagonise
# their hypotensive effect and raise the risk of renal impairment, and of hyperkalaemia with the
# potassium-sparing diuretics; NICE CKS "NSAIDs - prescribing issues": avoid an NSAID with an ACE inhibitor
# or an ARB and a diuretic, the "triple whammy" of acute kidney injury)
RAAS_DIURETIC_ATC = ("C09", "C03")
RAAS_DIURETIC_WORDS = re.compile(
    r"(?<![a-z])(?:ace inhibitors?|arbs?|angiotensin(?: ii)? receptor blockers?|diuretics?"
    r"|water (?:pills?|tablets?)|lisinopril|zestril|ramipril|tritace|altace|enalapril|vasotec|perindopril"
    r"|coversyl|captopril|benazepril|candesartan|atacand|irbesartan|aprovel|avapro|losartan|cozaar"
    r"|valsartan|diovan|olmesartan|benicar|telmisartan|micardis|furosemide|frusemide|lasix|bumetanide"
    r"|bendroflumethiazide|hydrochlorothiazide|indapamide|chlortalidone|chlorthalidone|spironolactone)(?![a-z])"
    r"|普利类|沙坦类|利尿剂|利尿药|赖诺普利|雷米普利|依那普利|培哚普利|卡托普利|贝那普利|氯沙坦|缬沙坦"
    r"|厄贝沙坦|坎地沙坦|替米沙坦|奥美沙坦|呋塞米|速尿|氢氯噻嗪|吲达帕胺|螺内酯|科素亚"
    r"|이뇨제|리시노프릴|라미프릴|에날라프릴|페린도프릴|캅토프릴|베나제프릴|로사르탄|발사르탄|이르베사르탄"
    r"|칸데사르탄|텔미사르탄|올메사르탄|푸로세미드|히드로클로로티아지드|인다파미드|스피로노락톤"
)
AVOID_DXM = "dextromethorphan"
# round 24: a cold or a cough of a child under 6: the cough and cold medicines by mouth holding a sedating
# antihistamine, a decongestant, a cough suppressant or an expectorant last (a tier), whatever their label
# says (MHRA / Commission on Human Medicines, Drug Safety Update March 2009, "Over-the-counter cough and
# cold medicines for children": not to be given under 6 - brompheniramine, chlorphenamine, diphenhydramine,
# doxylamine, promethazine, triprolidine, dextromethorphan, pholcodine, guaifenesin, ipecacuanha,
# phenylephrine, pseudoephedrine, ephedrine; NHS "Common cold": saline drops, paracetamol or ibuprofen)
# round 28: a child under 5 with diarrhoea or vomiting: the oral rehydration salts first (NICE CG84
# "Diarrhoea and vomiting caused by gastroenteritis in under 5s": oral rehydration solution to prevent and
# treat dehydration; WHO "The treatment of diarrhoea": ORS and zinc; from memory), and a medicine by mouth
# made with alcohol (藿香正气水, a tincture) below every other result (EMA "Ethanol in medicinal products
# for human use", 2019: a warning for children under 6, no alcohol where avoidable; the 藿香正气水 label:
# 含乙醇, 儿童必须在成人监护下使用; from memory)
YOUNG_CHILD_GUT = "young child gut"
YOUNG_CHILD_GUT_AGE = 5.0
ORAL_REHYDRATION = frozenset(("oral rehydration salts",))
GUT_UPSET_TARGETS = frozenset({"s:diarrhoea", "s:travellers_diarrhoea", "s:vomiting"})
YOUNG_CHILD_COLD = "young child cold"
YOUNG_CHILD_COLD_AGE = 6.0
# round 30: the nose complaints of a child under 6 that saline answers first
CHILD_NOSE_TARGETS = frozenset({"s:runny_nose", "s:stuffy_nose"})
YOUNG_CHILD_COLD_INNS = frozenset(
    ("dextromethorphan", "pholcodine", "pentoxyverine", "guaifenesin", "ipecacuanha")
)
COUGH_TARGETS = frozenset({"s:cough", "s:chesty_cough", "s:dry_cough"})
# epilepsy or an antiepileptic taken: amantadine (lowers the seizure threshold: SmPC "Amantadine" - caution
# in epilepsy) and the combinations with a sedating antihistamine (can lower the threshold: SmPC of
# chlorphenamine, diphenhydramine - caution in epilepsy) last, plain paracetamol first; with valproate,
# aspirin last too (it displaces valproate and adds to its bleeding risk: BNF "Valproate" interactions)
EPILEPSY_WORDS = re.compile(
    r"(?<![a-z])(?:epilepsy|epileptic|seizures?|anti-?epileptics?|anticonvulsants?|lamotrigine|lamictal"
    r"|carbamazepine|tegretol|levetiracetam|keppra|phenytoin|epilim|depakote|(?:sodium )?valproate"
    r"|valproic acid)(?![a-z])"
    r"|癫痫|羊癫疯|抗癫痫药?|拉莫三嗪|卡马西平|左乙拉西坦|苯妥英钠?|丙戊酸(?:钠)?"
    r"|뇌전증|간질(?!환)|항경련제|항전간제|라모트리진|카르바마제핀|레비티라세탐|발프로산|데파코트"
)
VALPROATE_WORDS = re.compile(
    r"(?<![a-z])(?:epilim|depakote|(?:sodium )?valproate|valproic acid)(?![a-z])|丙戊酸|발프로산|데파코트"
)
# round 18: a driver, a machine operator, a pilot, or "can't be drowsy" (开车, 司机, 不能犯困, 운전기사,
# 졸리면 안 돼요, 졸리지 않은) beside an allergy, hives, a runny nose or a cold: the sedating
# (first-generation) antihistamines and the combinations holding them go last, the non-sedating ones
# answer (BNF "Antihistamines": sedating ones impair driving and skilled tasks; DVLA / UK road-safety
# guidance on medicines and driving; labels of chlorphenamine and diphenhydramine: "may cause drowsiness;
# if affected do not drive or operate machinery")
ALERT_WORDS = re.compile(
    r"(?<![a-z])(?:(?:lorry|truck|bus|taxi|cab|uber|delivery|van|forklift|train|professional|hgv)"
    r" drivers?|drivers?|driving|have to drive|need to drive|got to drive|(?:at|behind) the wheel"
    r"|pilots?|flying a plane|(?:operate|operating|use|using|work|working) (?:heavy )?machinery"
    r"|machine operator"
    r"|(?:can ?t|cannot|can not|mustn ?t|must not|shouldn ?t|don ?t want to|do not want to"
    r"|not allowed to) (?:be|get|feel|become) (?:drowsy|sleepy|tired)"
    r"|(?:without|no) drowsiness|stay awake|stay alert)(?![a-z])"
    r"|开车|驾车|驾驶|司机|开飞机|操作机器"
    r"|(?:不能|不可以|不想|不要|不会|不)(?:犯困|嗜睡|困(?!难)|瞌睡)(?:的)?"
    r"|운전(?:기사|사|자|해야|하는|할|중|을|해요)?|(?:버스|택시|트럭|화물차)\s?기사|기계\s?조작"
    r"|졸리면\s?안\s?(?:돼요|되요|돼|되는|됩니다|되는데)|졸리지\s?않(?:은|는|게)|안\s?졸린"
    r"|졸음\s?(?:없는|안\s?오는)"
)
ALERT_TARGETS = frozenset(
    f"s:{key}"
    for key in ("hay_fever", "allergy", "hives", "itching", "runny_nose", "sneezing", "common_cold")
)
# liver disease (cirrhosis, hepatitis, 肝病, 肝硬化, 간 질환, 간경화) beside a pain or a fever: the
# NSAIDs by mouth last (BNF "Prescribing in hepatic impairment" and "NSAIDs": avoid in severe liver
# disease - gastro-intestinal bleeding, fluid retention, renal impairment), paracetamol at usual doses
# first (BNF: the analgesic of choice; dose-related toxicity, avoid large doses), a topical answering
# when nothing is to be swallowed
LIVER_DISEASE_WORDS = re.compile(
    r"(?<![a-z])(?:liver (?:disease|damage|problems?|trouble|failure|condition|issues?)"
    r"|(?:bad|weak|damaged) liver|cirrhosis|hepatitis|fatty liver|hepatic (?:impairment|disease))(?![a-z])"
    r"|肝病(?:患者|病人)?|肝硬化|肝炎|乙肝|丙肝|脂肪肝|肝功能(?:不全|不好|差|异常|受损)|肝不好"
    r"|肝损伤|간\s?질환|간경화|간경변(?:증)?|간염|지방간"
    r"|간\s?기능(?:이)?\s?(?:안\s?좋\S*|나빠\S*|저하)|간이\s?(?:안\s?좋\S*|나빠\S*)"
)
# round 27: an operation ahead ("surgery next week", 下周要做手术, 다음주에 수술인데) beside a pain or a
# fever: the NSAIDs and aspirin by mouth below every other result, as with an anticoagulant, plain paracetamol
# first (aspirin's antiplatelet effect lasts the platelets' life, 7-10 days, and it is usually stopped 7 days
# before an operation; the NSAIDs impair platelet function and are stopped before surgery: BNF "Aspirin" and
# "NSAIDs", NICE CKS "Anticoagulation - oral", perioperative medicine guidance; from memory). An operation
# past ("after surgery", 手术后, 수술 후) and a surgical mask (수술용 마스크, 手术口罩) are not it.
SURGERY_WORDS = re.compile(
    r"(?<![a-z])(?<!after )(?<!after my )(?<!after an )(?<!after the )(?<!post-)(?<!post )(?<!had )"
    r"(?<!had an )(?<!had my )(?<!since )(?<!since my )(?:surgery|operation|pre[- ]?op)(?![a-z])"
    r"|术前|(?<!做完)(?<!做了)(?<!做过)手术(?!后|以后|之后|完|过|用|口罩|衣|刀)"
    r"|수술(?!\s?(?:후|한\s?(?:뒤|후|다음)|하고\s?나서|받은|받고\s?나서|했|용|실\s?마스크|마스크))"
)

# round 27: norovirus (the winter vomiting bug; 诺如病毒; 노로바이러스) beside a disinfection: a chlorine
# bleach first, found even when the words asked for a wound antiseptic (消毒, 소독): alcohol and the
# quaternary ammonium antiseptics do not reliably inactivate norovirus (CDC "Preventing Norovirus": clean and
# disinfect surfaces with a chlorine bleach solution, 1,000-5,000 ppm; hand sanitiser no substitute for
# washing; UKHSA "Norovirus: guidance": chlorine-releasing agents; China CDC
# 诺如病毒感染暴发调查和预防控制技术指南: 含氯消毒剂; from memory)
NOROVIRUS_WORDS = re.compile(
    r"(?<![a-z])(?:norovirus|noro virus|winter vomiting bug)(?![a-z])|诺如(?:病毒)?|노로\s?(?:바이러스)?"
)
DISINFECTION_TARGETS = frozenset({"s:wound_disinfection", "s:hand_hygiene", "s:surface_disinfection"})
# round 28: a bleeding disorder beside a pain, a fever, a sprain or a bruise: as an anticoagulant (round 20):
# the NSAIDs and aspirin by mouth below every other result, those rubbed on the skin below the other answers,
# plain paracetamol first (World Federation of Hemophilia "Guidelines for the management of hemophilia", 3rd
# ed. 2020: paracetamol for pain; avoid aspirin and NSAIDs, which impair platelet function, COX-2
# inhibitors with caution; NHS "Haemophilia"; from memory)
BLEEDING_DISORDER_WORDS = re.compile(
    r"(?<![a-z])(?:ha?emophilia(?: a| b)?|ha?emophiliac|bleeding disorders?|clotting disorders?"
    r"|von willebrand(?:['’]?s)?(?: disease)?|vwd)(?![a-z])"
    r"|血友病|凝血(?:功能)?障碍|血管性血友病|혈우병|폰\s?빌레브란트|혈액\s?응고\s?장애|응고\s?장애"
)
# round 28: a low-salt (low-sodium) diet beside a complaint: the effervescent and soluble tablets (a sodium
# salt in each, up to about 400 mg of sodium a tablet) and the sodium antacids after their equals, as with
# heart or kidney failure (round 25) (BNF "Effervescent tablets" and the SmPCs of effervescent paracetamol
# and aspirin, section 4.4: sodium content, to be taken into account on a controlled sodium diet; from memory)
LOW_SODIUM_WORDS = re.compile(
    r"(?<![a-z])(?:low[- ](?:salt|sodium)(?: diet)?|(?:salt|sodium)[- ]restricted(?: diet)?"
    r"|restricted (?:salt|sodium)|(?:no|cutting|cut down on|limit(?:ing)?) (?:added )?salt"
    r"|sodium restriction|salt restriction)(?![a-z])"
    r"|低盐|低钠|少盐|限盐|限钠|控盐|忌盐|저염|저나트륨|싱겁게\s?먹|염분\s?제한|나트륨\s?제한"
)
# round 28: ritonavir or cobicistat taken (the pharmacokinetic boosters: HIV, Paxlovid for covid): the
# corticosteroids broken down by CYP3A4, fluticasone, budesonide and mometasone, below every other result,
# nasal sprays and inhalers too (MHRA Drug Safety Update "Ritonavir and cobicistat: corticosteroid
# interactions" - Cushing's syndrome and adrenal suppression with inhaled, intranasal and injected
# corticosteroids, fluticasone and budesonide most reported; the Flonase and Rhinocort SmPCs 4.5: avoid with
# ritonavir unless the benefit outweighs the risk; the Nasonex SmPC 4.5: CYP3A4 inhibitors, cobicistat;
# from memory)
BOOSTER_WORDS = re.compile(
    r"(?<![a-z])(?:ritonavir|norvir|cobicistat|tybost|paxlovid|kaletra|lopinavir|genvoya|stribild|symtuza"
    r"|evotaz|prezcobix|rezolsta)(?![a-z])"
    r"|利托那韦|可比司他|洛匹那韦|克力芝|帕罗韦德|帕克洛维|奈玛特韦|리토나비르|코비시스타트|팍스로비드|칼레트라"
)
AVOID_CYP3A4_STEROID = "cyp3a4 steroid"
GOUT_FLARE_WORDS = re.compile(
    r"(?<![a-z])(?:flares?|flared|flaring|flare[- ]?ups?|attacks?|acute|swollen|swelling|painful|pain"
    r"|hurts?|hurting|sore|throbbing"
    # round 33: how bad it is ("gout toe killin me cant walk": allopurinol, a preventer, came first)
    r"|killing|killin|agony|excruciating|unbearable|can'?t walk|cannot walk)(?![a-z])"
    r"|发作|犯了|急性|肿|疼|痛(?!风)|走不了路|不能走路"
    r"|발작|급성|도졌|부었|부어|붓|아파|아픈|통증|못 걷|걷지 못"
)
GOUT_FLARE_SIGNS = frozenset({"s:swelling", "s:joint_pain", "s:gout_flare"})
# round 31: a test word beside the flu (发烧 怀疑甲流 家里能测吗, 독감인지 집에서 검사할 수 있나요, "think
# it's flu, can i test for it"): the flu is what is to be tested, the search is the flu test kits, not its
# remedies; a fever said with it is why the flu is suspected (a thermometer's 测体温 is no test word)
FLU_TEST_WORDS = re.compile(
    r"(?<![a-z])(?:test|tests|tested|testing)(?![a-z])|测(?!体温|温|量|一下体温)|검사|테스트|자가진단"
)
# round 31: gout beside a pain elsewhere ("i have gout, tablets for a headache", 痛风 头疼, 통풍 있는데
# 두통약) is a condition, not a flare: the headache is the search, gout's own medicines (naproxen first,
# colchicine, allopurinol) are not lifted, and aspirin by mouth goes last (below); a flare word or sign keeps
# the flare
GOUT_WORDS = re.compile(r"(?<![a-z])gout(?:y)?(?![a-z])|痛风|통풍")
GOUT_ELSEWHERE = frozenset(
    f"s:{key}"
    for key in (
        "headache",
        "migraine",
        "toothache",
        "period_pain",
        "sore_throat",
        "ear_infection",
        "stomach_ache",
    )
)
GOUT_ATTACK_WORDS = re.compile(
    r"(?<![a-z])(?:flares?|flared|flaring|flare[- ]?ups?|attacks?|acute|swollen|swelling|toes?|joints?|knees?"
    r"|ankles?|feet|foot)(?![a-z])"
    r"|发作|犯了|急性|肿|脚趾|关节|膝|脚踝|발작|급성|도졌|부었|부어|붓|발가락|관절|무릎|발목"
)
NOSE_ALLERGY_TARGETS = frozenset({"s:hay_fever", "s:allergy", "s:stuffy_nose", "s:runny_nose", "s:sneezing"})
CYP3A4_STEROIDS = frozenset(("fluticasone", "budesonide", "mometasone"))
# round 28: tamoxifen taken: the strong CYP2D6 inhibitors paroxetine, fluoxetine and bupropion by mouth
# below every other result (they lower endoxifen, tamoxifen's active metabolite: tamoxifen SmPC 4.5, BNF
# "Tamoxifen" interactions; MHRA; sertraline weaker, citalopram and escitalopram preferred; from memory)
TAMOXIFEN_WORDS = re.compile(
    r"(?<![a-z])(?:tamoxifen|nolvadex|soltamox)(?![a-z])|他莫昔芬|三苯氧胺|타목시펜|놀바덱스"
)
AVOID_CYP2D6 = "cyp2d6"
STRONG_CYP2D6_INHIBITORS = frozenset(("paroxetine", "fluoxetine", "bupropion"))
# round 29: G6PD deficiency (favism, 蚕豆病, 잠두중독) beside any complaint: the medicines with a definite
# risk of haemolysis in G6PD deficiency by mouth below every other result - the quinolones, the sulfonamides
# (sulfamethoxazole of co-trimoxazole), nitrofurantoin, dapsone, primaquine (BNF "G6PD deficiency": drugs
# with a definite risk of haemolysis in most G6PD-deficient individuals; WHO "Glucose-6-phosphate
# dehydrogenase deficiency"; from memory)
G6PD_WORDS = re.compile(
    r"(?<![a-z])(?:g6pd(?: deficiency| deficient)?|g 6 pd(?: deficiency| deficient)?|favism"
    r"|glucose[- ]6[- ]phosphate dehydrogenase(?: deficiency)?)(?![a-z])"
    r"|蚕豆病|蚕豆黄|g6pd缺乏(?:症)?|葡萄糖-?6-?磷酸脱氢酶缺乏(?:症)?"
    r"|잠두\s?중독(?:증)?|g6pd\s?결핍(?:증)?|포도당-?6-?인산\s?탈수소효소\s?결핍(?:증)?"
)
AVOID_HAEMOLYSIS = "haemolysis"
HAEMOLYTIC_INNS = frozenset(
    (
        "ciprofloxacin",
        "levofloxacin",
        "moxifloxacin",
        "ofloxacin",
        "norfloxacin",
        "sulfamethoxazole",
        "nitrofurantoin",
        "dapsone",
        "primaquine",
    )
)
# round 29: after gastric bypass or other bariatric surgery beside a pain or a fever: every NSAID and
# aspirin by mouth below every other result (marginal ulcers), plain paracetamol first, a soluble or liquid
# form before the tablets (BOMSS "Guidelines on perioperative and postoperative biochemical monitoring and
# micronutrient replacement for patients undergoing bariatric surgery" and the ASMBS clinical practice
# guidelines: avoid NSAIDs after gastric bypass; the NHS bariatric units' patient leaflets: soluble or liquid
# paracetamol in the first weeks; from memory)
BARIATRIC_WORDS = re.compile(
    r"(?<![a-z])(?:gastric (?:bypass|sleeve|band(?:ing)?)|(?:roux[- ]en[- ]y|rygb)(?: bypass)?"
    r"|bariatric|weight[- ]loss surgery|sleeve gastrectomy|stomach stapling)"
    r"(?: surgery| operation| op)?(?![a-z])"
    r"|胃旁路(?:手术|术)?|胃转流(?:手术|术)?|减重手术|减肥手术|缩胃手术|胃袖状切除(?:术)?|袖状胃(?:切除)?(?:手术|术)?"
    r"|위\s?우회\s?(?:수술|술)|위\s?절제\s?비만\s?수술|비만\s?(?:대사\s?)?수술|위\s?소매\s?절제(?:술)?|위\s?밴드\s?수술"
)
SOLUBLE_FIRST = "soluble first"
# round 29: rebound congestion from a decongestant nasal spray used too long (rhinitis medicamentosa): a
# blocked nose whose answer is a corticosteroid nasal spray and saline, the decongestant sprays and drops
# below every other result (NICE CKS "Rhinitis - medicamentosa" / "Allergic rhinitis": stop the topical
# decongestant, an intranasal corticosteroid while withdrawing; BNF "Sympathomimetics, nasal": rebound
# congestion after prolonged use, no more than 7 days; the Afrin / Otrivin Drug Facts and SmPCs; from memory)
REBOUND_NOSE_WORDS = re.compile(
    r"(?<![a-z])(?:rebound (?:nasal )?congestion|rhinitis medicamentosa"
    r"|(?:get|getting|come|coming|wean(?:ing)?(?: myself)?|kick(?:ing)?|quit(?:ting)?) off (?:the |my |a )?"
    r"(?:nasal |nose |decongestant |afrin |otrivin )*(?:sprays?|drops)"
    r"|(?:hooked|addicted|dependent) (?:on|to) (?:the |my |a )?(?:nasal |nose |decongestant )*"
    r"(?:sprays?|drops|afrin|otrivin|oxymetazoline|xylometazoline)"
    r"|(?:nasal|nose|decongestant|afrin|otrivin) spray (?:addiction|dependence|dependency|overuse|rebound)"
    r"|overus(?:ed|ing|e) (?:of )?(?:my |the )?(?:nasal |nose |decongestant )*sprays?)(?![a-z])"
    r"|药物性鼻炎|反跳性(?:鼻塞|充血|鼻炎)|(?:鼻喷剂|喷鼻剂|滴鼻剂|鼻喷雾|喷雾|滴鼻液|羟甲唑啉|赛洛唑啉)"
    r"(?:用|喷|滴)(?:了)?(?:太久|久了|很久|太多|多了|上瘾|依赖|停不下来)|离不开(?:鼻喷剂|喷鼻剂|滴鼻剂|鼻喷雾)"
    r"|약물성\s?비염|반동성\s?(?:비염|코막힘|충혈)"
    r"|(?:코|비강|비염)\s?(?:스프레이|뿌리는\s?약|분무제)(?:을|를)?\s?(?:너무\s?)?(?:오래|계속|자주|많이)\s?"
    r"(?:써서|썼더니|쓰니까|사용해서|사용했더니|뿌려서|뿌렸더니)|(?:코|비강)\s?스프레이\s?중독"
)
REBOUND_NOSE = "rebound nose"
SALINE_FIRST = "saline first"
NASAL_STEROIDS = frozenset(("fluticasone", "budesonide", "mometasone", "beclometasone", "triamcinolone"))
# round 29: isotretinoin taken (Roaccutane; a medicine not carried) beside a complaint: the tetracyclines by
# mouth below every other result (isotretinoin SmPC 4.3 and 4.5: tetracyclines contra-indicated, benign
# intracranial hypertension; BNF "Isotretinoin" interactions; from memory)
ISOTRETINOIN_WORDS = re.compile(
    r"(?<![a-z])(?:isotretinoin|roaccutane|accutane|absorica|claravis|amnesteem|myorisan|zenatane|rosuvane)(?![a-z])"
    r"|异维a酸|异维甲酸|泰尔丝|이소트레티노인|로아큐탄|로아큐텐"
)
AVOID_TETRACYCLINE = "tetracycline"
TETRACYCLINES = frozenset(("doxycycline", "minocycline", "tetracycline", "oxytetracycline", "lymecycline"))
# round 29: an enzyme-inducing medicine taken (carbamazepine, phenytoin, rifampicin, St John's wort) beside
# emergency contraception: ulipristal below every other result, levonorgestrel the answer (FSRH CEU
# "Emergency Contraception" and "Drug Interactions with Hormonal Contraception": a copper IUD, or a double
# 3 mg dose of levonorgestrel; ulipristal not recommended with enzyme inducers; ellaOne SmPC 4.5; MHRA Drug
# Safety Update September 2016; from memory)
ENZYME_INDUCER_WORDS = re.compile(
    r"(?<![a-z])(?:carbamazepine|tegretol|oxcarbazepine|trileptal|eslicarbazepine|phenytoin|dilantin|epanutin"
    r"|phenobarbit(?:al|one)|primidone|rufinamide|rifampi(?:ci)?n|rifabutin|efavirenz|nevirapine"
    r"|st\.? john(?:'?s| s)? wort)(?![a-z])"
    r"|卡马西平|得理多|奥卡西平|苯妥英(?:钠)?|苯巴比妥|扑米酮|利福平|利福布汀|依非韦伦|奈韦拉平|贯叶连翘|圣约翰草"
    r"|카르바마제핀|카바마제핀|테그레톨|옥스카바제핀|페니토인|페노바르비탈|리팜피신|리팜핀|에파비렌즈|세인트\s?존스\s?워트"
)
AVOID_ULIPRISTAL = "ulipristal"
# round 29: amiodarone taken beside a complaint: the medicines that also prolong the QT interval by mouth -
# the macrolides, the quinolones, domperidone - below every other result (amiodarone SmPC 4.5: risk of
# torsade de pointes with other QT-prolonging drugs, macrolides and fluoroquinolones named; BNF "Amiodarone"
# interactions; MHRA Drug Safety Update 2014 on domperidone; from memory)
QT_DRUG_WORDS = re.compile(
    r"(?<![a-z])(?:amiodarone|cordarone|pacerone|nexterone)(?![a-z])|胺碘酮|可达龙|아미오다론|코다론"
)
AVOID_QT = "qt"
QT_PROLONGING_INNS = frozenset(
    (
        "clarithromycin",
        "azithromycin",
        "erythromycin",
        "roxithromycin",
        "ciprofloxacin",
        "levofloxacin",
        "moxifloxacin",
        "ofloxacin",
        "domperidone",
        "hydroxyzine",
    )
)
# round 29: methotrexate taken beside a complaint: trimethoprim (and co-trimoxazole) by mouth below every
# other result (methotrexate SmPC 4.5 and BNF: trimethoprim and co-trimoxazole with methotrexate, bone-marrow
# toxicity, antifolate effect increased; MHRA; NICE NG109: nitrofurantoin or fosfomycin; from memory)
METHOTREXATE_WORDS = re.compile(
    r"(?<![a-z])(?:methotrexate|metoject|maxtrex|trexall|otrexup|rasuvo|jylamvo|nordimet|xatmep|mtx)(?![a-z])"
    r"|甲氨蝶呤|氨甲蝶呤|甲氨喋呤|氨甲喋呤|메토트렉세이트|메토트렉사트|엠티엑스"
)
AVOID_ANTIFOLATE = "antifolate"
ANTIFOLATE_INNS = frozenset(("trimethoprim",))
CHLORINE_FIRST = "chlorine first"
CHLORINE_INNS = frozenset({"sodium hypochlorite"})
# round 27: a baby under 3 months with a fever ("my 5 week old feels hot", 两个月大的宝宝发烧, 생후 5주 열): a
# thermometer first, the underarm digital one first of all, an ear one after it from 4 weeks, a forehead one
# not lifted (NICE NG143 "Fever in under 5s": under 4 weeks an electronic thermometer in the axilla, from 4
# weeks an electronic axillary or infrared tympanic one, forehead chemical-dot thermometers not used; a
# temperature of 38 C or more under 3 months is a red flag for urgent assessment; the paracetamol and
# ibuprofen labels start at 2-3 months and 6 months, and the age filter keeps them out; from memory)
YOUNG_INFANT_AGE = 0.25
# round 29: under 2 the label's minimum age is the limit for every medicine, not only by mouth (MHRA / BNF for
# Children: children's doses are given by age band and a product is used only from the age its label states;
# the MHRA 2009 advice on cough and cold medicines for children; from memory)
BABY_LABEL_AGE = 2.0
BABY_UNFIT_TIER = 64
BABY_LABEL = "baby label"
# round 33: a child under 12 with an age given ("my 3 year old gets car sick", 7살 차멀미약): a medicine whose
# label starts at an older age below every product that fits (Kimite 8+, Bonine 12+, Dramamine 50 mg 6+ were
# 6th-8th for a 3-year-old, by points only); under 6 a medicine by mouth whose label states no age and that is
# no children's product goes there too (three tonic pills answered a 3-year-old's car sickness): a label that
# states no age does not say it fits a young child (MHRA Drug Safety Update March 2009: no OTC cough and cold
# medicines under 6; BNF for Children: a product is used from the age its label states; from memory)
CHILD_LABEL = "child label"
YOUNG_CHILD_LABEL_AGE = 6.0
# after round 29: honey, whatever a label says, is not given under 12 months (infant botulism: NHS "Foods to
# avoid giving babies and young children", CDC "Botulism: prevention", WHO; NICE CKS "Cough - acute with
# chest signs in children": honey and lemon from 1 year); a syrup made with it (念慈菴 蜜炼川贝枇杷膏) and the
# honeyed pills (蜜丸, honey as the binder: Chinese Pharmacopoeia, general notices on pills) hold it
HONEY_AGE = 1.0
HONEY_INNS = frozenset(("honey",))
HONEY_FORMS = frozenset(("honeyed pills",))
AVOID_HONEY = "honey"
HONEY_TIER = 16
# after round 29: a baby under 2 (an age given) with a cough: no cough medicine is labelled for the age (MHRA
# 2009), plain paracetamol for the discomfort is (NICE CKS "Cough - acute with chest signs in children":
# paracetamol or ibuprofen for discomfort or fever, honey and lemon over 1 year)
BABY_STATED = "baby stated"
# and a sore throat (NICE CKS "Sore throat - acute": paracetamol or ibuprofen for pain; no lozenge under the
# age on its label)
BABY_PARACETAMOL_TARGETS = frozenset({"s:cough", "s:chesty_cough", "s:dry_cough", "s:sore_throat"})
# what goes in the mouth besides what is swallowed: lozenges, chewables, gum, mouthwash, a throat spray
MOUTH_FORMS = frozenset(
    (
        *FORM_FAMILIES["lozenge"],
        *FORM_FAMILIES["chewable"],
        *FORM_FAMILIES["gum"],
        *FORM_FAMILIES["mouthwash"],
        "throat spray",
    )
)
TYMPANIC_MIN_AGE = 28 / 365
INFANT_FEVER = "infant fever"
INFANT_FEVER_TYMPANIC = "infant fever tympanic"
# round 27: an angina attack, or a medicine put under the tongue, beside angina (心绞痛发作含服什么药, "angina
# attack spray", 협심증 발작 설하정): what relieves an attack first, glyceryl trinitrate (ATC C01DA02,
# sublingual) and Suxiao Jiuxin pills (速效救心丸, label: 含服, for an acute attack), before the preventers
# taken daily (isosorbide mononitrate, the calcium-channel and beta blockers) (NICE CG126 "Stable angina": a
# short-acting nitrate to relieve an attack, the others to prevent them; BNF "Glyceryl trinitrate"; the Suxiao
# Jiuxin label; from memory)
ANGINA_ATTACK_WORDS = re.compile(
    r"(?<![a-z])(?:attacks?|sublingual|under (?:the|my) tongue|spray|relief|rescue|emergency|first aid)"
    r"(?![a-z])"
    r"|发作|含服|舌下|急救|发病时|발작|설하|혀\s?밑|응급"
)
# round 32: the conditions whose attack has a rescue medicine (angina: glyceryl trinitrate; asthma: the
# reliever inhaler; NICE CG126, BTS/SIGN asthma guideline): "first aid" beside them asks for it; after round
# 32, low blood sugar too (低血糖 急救: sugar at once, then a check of the blood glucose; NHS "Low blood sugar
# (hypoglycaemia)", from memory): the first-aid kit is no answer to it
RESCUE_CONDITIONS = frozenset(("s:angina", "s:asthma", "s:hypoglycaemia"))
# round 32: an asthma attack (哮喘发作 急救, "asthma attack first aid", 천식 발작): the short-acting reliever
# (salbutamol, ATC R03AC02) first, before the preventers and the nebuliser (BTS/SIGN British guideline on
# the management of asthma, acute asthma: a short-acting beta-2 agonist; NHS "Asthma attacks": take one puff
# of the reliever inhaler every 30 to 60 seconds)
ASTHMA_RESCUE_ATC = ("R03AC02",)
ASTHMA_RESCUE = "asthma rescue"
# round 32: hives (두드러기, 荨麻疹, "came out in hives"): a non-sedating antihistamine by mouth first,
# before the creams and lotions that tie with it (NICE CKS "Urticaria": a non-sedating oral
# antihistamine; calamine or a cooling cream only soothes the itch). The hits of
# '버스 운전기사인데 두드러기 나요' rested on 나요 read as a fever
HIVES_ORAL = "hives oral"
HIVES_ORAL_ATC = ("R06A",)
# round 32: a urine infection in pregnancy (20 weeks pregnant with a water infection, 怀孕 尿路感染, 임신 중
# 방광염): nitrofurantoin first, then amoxicillin or cefalexin (NICE NG109 "Urinary tract infection
# (lower): antimicrobial prescribing", pregnant women: first choice nitrofurantoin, avoid at term; second
# choice amoxicillin (only if culture results are available and susceptible) or cefalexin); the other
# antibiotics after, by their pregnancy notes (the quinolones and co-trimoxazole last, as before)
PREGNANCY_UTI = "pregnancy uti"
PREGNANCY_UTI_FIRST = frozenset(("nitrofurantoin",))
PREGNANCY_UTI_NEXT = frozenset(("amoxicillin", "cefalexin"))
ANGINA_RESCUE_ATC = ("C01DA02",)
ANGINA_RESCUE_NAMES = ("速效救心",)
ANGINA_RESCUE = "angina rescue"
# round 27: athlete's foot or a fungal skin infection in pregnancy (임신 중 무좀 연고): clotrimazole or
# miconazole first, the imidazoles with the longest experience in pregnancy, before the other antifungals the
# notes equally allow (NHS "Athlete's foot" and NICE CKS "Fungal skin infection - foot": a topical imidazole
# in pregnancy, clotrimazole the usual choice; terbinafine tablets not in pregnancy; from memory)
PREGNANCY_ANTIFUNGAL = "pregnancy antifungal"
PREGNANCY_ANTIFUNGALS = frozenset(("clotrimazole", "miconazole"))
FUNGAL_SKIN_TARGETS = frozenset({"s:athletes_foot", "s:fungal_skin_infection"})
# round 27: an athlete tested for doping ("racing on sunday and i get drug tested", 要药检, 도핑 검사) beside
# any complaint: the stimulants prohibited in competition taken by mouth - pseudoephedrine, ephedrine,
# methylephedrine and the ephedra herb - below every other result (WADA Prohibited List, S6 Stimulants:
# ephedrine and methylephedrine above 10 micrograms/ml of urine, pseudoephedrine above 150; imidazoline
# decongestants and nasal corticosteroids not prohibited; UK Anti-Doping and Global DRO checks; from memory)
DOPING_WORDS = re.compile(
    r"(?<![a-z])(?:drug[- ]?tested|drug[- ]?testing|get tested|doping|anti-doping|wada|banned substances?"
    r"|in[- ]competition)(?![a-z])|兴奋剂|药检|尿检|도핑|약물\s?검사|금지\s?약물"
)
AVOID_DOPING = "doping"
PROHIBITED_STIMULANTS = frozenset(("pseudoephedrine", "ephedrine", "methylephedrine", "ephedra herb"))
# "something i don't have to swallow", 不用吞的, 삼키지 않는: nothing taken by mouth
NOT_SWALLOWED = re.compile(
    r"(?<![a-z])(?:(?:don ?t|do not|doesn ?t|does not|won ?t) (?:have|need|want) to swallow"
    r"|nothing to swallow|without swallowing|no swallowing|not (?:to be )?swallowed)(?![a-z])"
    r"|不用吞|不用咽|不需要吞|삼키지\s?않(?:는|아도)|안\s?삼키는"
)
# "my knee is really sore", "my shoulders are aching": the pain said after the body part, read as the pain of
# that part when the vocabulary knows it ("sore knee", "shoulder pain")
SORE_AFTER = re.compile(
    r"(?<![a-z])([a-z]+) (?:is|are|feels|feel|s|has been|have been)"
    r"((?: (?:really|so|very|quite|pretty|super|bit|little|badly|kinda|kind of|a|all|still))*)"
    r" (sore|aching|achy|painful|killing(?: me)?|pounding|throbbing|hurting|splitting)(?![a-z])"
)
# a name typed glued to its strength ("tylenol500", "advil200mg"): four letters or more, then 2-4 digits
GLUED_STRENGTH = re.compile(r"([a-z]{4,})(\d{2,4}(?:mg|g|ml)?)")
AVOID_SEIZURE = "seizure"
AVOID_LOPERAMIDE = "loperamide"
DIARRHOEA_TARGETS = frozenset({"s:diarrhoea", "s:travellers_diarrhoea"})
# round 33: diarrhoea, or an antidiarrhoeal asked for (止泻药, 지사제), with berberine not named: berberine
# (黄连素, a plant alkaloid of Chinese practice, labelled 12+ and to be avoided in pregnancy and while
# breastfeeding here) after loperamide, oral rehydration and diosmectite, the guideline choices it tied with
# and came before by name ('what stops diarrhoea quickly', 拉肚子拉到虚脱了, 설사 멈추는 약: NICE CKS
# "Diarrhoea - adult's assessment" and "Gastroenteritis": oral rehydration, and loperamide for adults to
# shorten it; neither NICE nor the BNF lists berberine; from memory)
LATER_ANTIDIARRHOEALS = frozenset({"berberine"})
ANTIDIARRHOEAL_TARGETS = DIARRHOEA_TARGETS | {"i:loperamide"}
PARACETAMOL_FIRST = "paracetamol first"
# a stomach complaint said beside a pain (nausea, heartburn): the NSAIDs and aspirin by mouth below
# paracetamol, the complaint kept (BNF "NSAIDs: gastro-intestinal events"; NHS "Aspirin for pain relief":
# not with indigestion or a stomach ulcer)
STOMACH_COMPLAINT_WORDS = re.compile(
    r"(?<![a-z])(?:nausea|nauseous|nauseated|queasy|sick to my stomach|feeling sick|feel sick"
    r"|heartburn|acid reflux|indigestion|upset stomach)(?![a-z])"
    r"|恶心|想吐|反胃|烧心|胃灼热|反酸|消化不良|속\s?쓰림|속이\s?쓰려\S*|메스꺼\S*|울렁거\S*|구역질"
)
# diabetes said beside a complaint ("diabetic with a chesty cough", 糖尿病人感冒了, 당뇨가 있어서): context,
# and the sugar-free forms are wanted (BNF "Sugar-free preparations": sugar-free liquids for people with
# diabetes)
DIABETES_WORDS = re.compile(
    r"(?<![a-z])(?:diabetic|diabetics|diabetes|type [12] diabetes)(?![a-z])|糖尿病(?:人|患者)?"
    r"|당뇨(?:병)?(?:환자)?(?:가|이)?(?:\s?있어서|\s?있는데|\s?있어요)?"
    # its medicines said as context (round 16): 降糖药, 당뇨약, "diabetes pills"
    r"|(?:降糖|降血糖)(?:的)?(?:药|药物|片)|당뇨\s?약|혈당\s?약"
    r"|(?<![a-z])(?:diabetes|diabetic) (?:pills?|tablets?|meds?|medicines?|medications?)(?![a-z])"
)
# "sugar-free", 无糖的, 설탕 없는: the products named sugar-free first, the sugary forms (syrups, granules,
# lozenges, honeyed pills) unless named sugar-free last
SUGAR_FREE = re.compile(
    r"(?<![a-z])(?:sugar[ -]?free|sugarless|no sugar|without sugar|no added sugar|low sugar)(?![a-z])"
    r"|(?:无|不含|不要|没有|不加|低)(?:蔗)?糖(?:的|型)?(?!尿)|무설탕|무가당|슈가\s?프리"
    r"|(?:설탕|당분)(?:이)?\s?(?:없는|없이|안\s?든|안\s?들어간|무첨가|프리)"
)
SUGAR_FREE_NAMES = ("sugar-free", "sugar free", "无糖", "무설탕")
SUGARY_FORMS = frozenset(("syrup", "granules", "lozenges", "honeyed pills"))
AVOID_SUGAR = "sugar"
# how long or how fast a medicine should work, said instead of a form: "long-acting", "12 hour", "twice a
# day", 长效, 一天两次, 12시간 지속되는 - the modified-release products first; "fast acting", 速效, 빨리 듣는,
# 액상형 (the Korean pharmacy word for liquid-filled capsules) - the soft (liquid-filled) capsules and the
# products named for speed (Express, Actifast, rapid) first
# round 32: "af" after an adjective or a complaint is slang, an intensifier ("as f***": "wheezy af", "itchy
# af", "bloated af", "swollen af", "sick af"), never atrial fibrillation: the word leaves the query. "AF" the
# condition follows a possessive, a verb or a preposition ("my af", "have af", "with af", "for af"), or is
# qualified by what kind it is ("paroxysmal af", "newly diagnosed af"); the words ending -y and -ed that so
# qualify it are named and kept
SLANG_AF = re.compile(
    r"(?<![a-z])(?!(?:my|any|every|by|why|only|early|newly|recently|family|history|diagnosed|treated"
    r"|untreated|controlled|uncontrolled|related|associated|induced|established|confirmed|suspected"
    r"|paroxysmal)(?![a-z]))([a-z]+(?:y|ed)|sick|sore|ill|bad|hot|cold|rough|weak|dry|raw|red|swollen|itchy"
    r"|tired|burnt|sunburnt|done|dead|puffy|high|low|blocked|stuffed|full|sad|anxious|nervous|stressed)"
    r" af(?![a-z])"
)


# round 32: everyday names that are another name's slang, read as that name before anything else. Kept out of
# the vocabulary files because their words would feed the typo and partial lookups: "water" alone named the
# antibiotics once "water infection" was a key ("water tablets" are diuretics), and the pinyin of 伟哥,
# "weige", is one letter from "weight". A "water infection" is British for a urine infection (NHS "Urinary
# tract infections (UTIs)"); 伟哥 is what Viagra is called in Chinese, its registered brand being 万艾可
# (the NMPA label of 万艾可 枸橼酸西地那非片)
SLANG_NAMES = {
    "water infection": "urine infection",
    "water infections": "urine infection",
    "伟哥": "万艾可",
    "偉哥": "万艾可",
}
SLANG_NAME_WORDS = re.compile(r"(?<![a-z])water infections?(?![a-z])|伟哥|偉哥")


LONG_ACTING = re.compile(
    r"(?<![a-z])(?:long[ -]?acting|long[ -]?lasting|lasts? (?:all day|longer)|all day relief"
    r"|12[ -]?h(?:ou)?rs?|12[ -]?hour|twelve hours?|twice (?:a|per) day|twice daily"
    r"|two times (?:a|per) day)(?![a-z])(?! ago)"
    r"|长效|持久|药效长|(?:一天|每天|一日)(?:只)?(?:用)?(?:吃)?(?:两|2)次|(?:12|十二)(?:个)?小时(?!前|以前)"
    r"|(?:12|열두)\s?시간(?!\s?전)(?:\s?지속(?:되는|형)?)?|지속(?:되는|형|성)|오래\s?가는|하루\s?(?:두|2)\s?번"
)
FAST_ACTING = re.compile(
    r"(?<![a-z])(?:fast(?:est)?[ -]?acting|quick(?:est)?[ -]?acting|works? (?:fast|quickly)|fast relief"
    r"|quick relief|rapid(?:ly)? acting|fastest)(?![a-z])"
    r"|速效|起效快|见效快|快速起效|(?:빨리|빠르게)\s?(?:듣는|드는|효과)|빠른\s?(?:효과|진통)|속효성?|액상형"
)
# after drinking ("hungover", 喝多了, 술 마셨는데) with the liver named as a worry (对肝没负担, "easy on the
# liver", 간에 부담 없는): the paracetamol products go last (the alcohol warning of its labels) and aspirin by
# mouth below the other NSAIDs (the stomach-bleeding warning with alcohol is strongest for it); the liver
# words leave the query. Either alone changes nothing: a usual dose of paracetamol is fine for a hangover
# headache (NHS "Hangover"; earlier sets expect it), and with liver disease paracetamol at a reduced dose is
# still the analgesic of choice (BNF "Prescribing in hepatic impairment"), so a liver said without the
# drinking is left to the pharmacist
DRINKING_WORDS = re.compile(
    r"(?<![a-z])(?:hangover|hungover|hung over|after drinking|been drinking|drank too much|too much to drink"
    r"|drinking last night|night out drinking)(?![a-z])"
    r"|宿醉|喝多了|喝醉|喝酒后|喝了酒|喝完酒|醉酒|酒后|숙취|술\s?(?:을\s?)?(?:마셨|마시고|먹었|먹고)|과음"
)
LIVER_WORDS = re.compile(
    r"(?<![a-z])(?:(?:easy|kind|gentle|safe) (?:on|for|to) (?:the|my) liver|not hard on (?:the|my) liver"
    r"|liver[ -]friendly|without hurting (?:the|my) liver)(?![a-z])"
    r"|对肝(?:脏)?(?:没|无|不)(?:有)?(?:什么)?(?:负担|伤害|损伤|影响)|不伤肝|伤肝|护肝"
    r"|간에\s?(?:부담|무리)\s?(?:없는|안\s?가는|적은)?"
)
AVOID_PARACETAMOL = "paracetamol"
# round 20: after drinking, a headache or a pain (no liver worry said): the best few plain ibuprofen products
# in an adult form first (+2.5), aspirin by mouth after the other painkillers (-2.5): of the OTC NSAIDs
# aspirin irritates the stomach most, and its labels' stomach-bleeding warning with alcohol is the strongest
# (BNF "Aspirin": gastro-intestinal irritation; NHS "Aspirin for pain relief": alcohol, stomach bleeding);
# paracetamol keeps its place (NHS "Hangover": painkillers help with the headache; a usual dose after a
# night's drinking is not ruled out, its labels' liver warning being about 3 or more drinks every day). A
# sick stomach said beside it keeps the round-16 rule (the NSAIDs by mouth last, paracetamol first)
HANGOVER_PAIN = "hangover pain"
CONTRACTION_PIECES = frozenset({"s", "t", "m", "d", "ll", "re", "ve"})
RELEASE_BONUS = 4.0
WANTS_LONG_ACTING = "long_acting"  # carried with the conditions: what the query asks of a product's release
WANTS_FAST_ACTING = "fast_acting"
WANTS_LIQUID = "liquid"  # round 28: "can't swallow tablets": the liquids by mouth before the devices
# round 21: a medicine for the night asked (`to take at night`, 晚上吃的, 밤에 먹는): the products named for
# the night (NyQuil, 夜用, 야간용) first (+2.5), those named for the day alone (DayQuil, 日用, 주간용: made
# not to make one drowsy) after the others (-2.5); a day-and-night pack holds both and keeps its place.
# "Last night", 昨晚, 어젯밤 say when something happened, not what is asked: they leave the query (their
# `night` lifted the day-and-night packs by name)
NIGHT_TIME_SAID = re.compile(
    r"(?<![a-z])(?:last night|the night before|the other night)(?![a-z])"
    r"|昨晚|昨天晚上|昨天夜里|昨夜|前天晚上|어젯밤|어제\s?밤|어제\s?저녁|그저께\s?밤"
)
NIGHT_ASKED = re.compile(
    r"(?<![a-z])(?:at night|for (?:the )?night|night ?time|night-time|before bed|bedtime|before sleep"
    r"|overnight|to sleep through)(?![a-z])"
    r"|晚上|夜间|夜里|夜用|睡前|睡觉前|临睡|밤에|밤용|야간|자기\s?전|잘\s?때|취침\s?전"
)
NIGHT_NAME = re.compile(r"(?<![a-z])(?:night|nighttime|nyquil)(?![a-z])|夜用|夜间|야간")
DAY_NAME = re.compile(r"(?<![a-z])(?:day|daytime|dayquil)(?![a-z])|日用|日间|주간")
NIGHT_LEFTOVERS = frozenset(("night", "nighttime", "bedtime", "bed", "overnight", "time", "sleep", "through"))
WANTS_NIGHT = "night"
# what a night-time cold medicine is asked for: a cold, the flu, a cough (a night said with a sleep or a
# blocked nose alone is when it happens: a sleep aid, a nasal spray)
NIGHT_TARGETS = frozenset({"s:common_cold", "s:flu", "s:cough", "s:chesty_cough", "s:dry_cough"})
MODIFIED_RELEASE_FORMS = frozenset(("extended-release tablets", "sustained-release capsules"))
FAST_FORMS = frozenset(("soft capsules",))
FAST_NAMES = ("express", "actifast", "rapid", "liqui", "速效", "快速")
# the complaints each condition constrains, as targets (a class word stands for what its medicines treat)
COLD_TARGETS = frozenset(
    f"s:{key}" for key in ("common_cold", "flu", "stuffy_nose", "runny_nose", "sinusitis", "sneezing")
)
# the complaints beside which glaucoma or an enlarged prostate rules out the sedating antihistamines, the
# oral decongestants and the anticholinergic cough medicines by mouth (round 16), and those rules
GLAUCOMA_PROSTATE_TARGETS = COLD_TARGETS | SLEEP_TARGETS | {"s:hay_fever", "s:allergy", "s:itching"}
GLAUCOMA_PROSTATE_RULES = (
    AVOID_SEDATING,
    AVOID_ORAL_DECONGESTANT,
    AVOID_ANTICHOLINERGIC,
    COLD_COMBINATIONS_LATER,
)
FEVER_PAIN_TARGETS = PAIN_TARGETS | {"s:fever"}
# round 26: a period said as a time, not as a pain ("来月经", "on my period", 생리 중): a belly ache beside it
# is the period's pain
PERIOD_TIME_KEYS = frozenset(
    (
        "来月经",
        "来姨妈",
        "大姨妈",
        "姨妈期",
        "생리 중",
        "생리중",
        "on my period",
        "on my periods",
        "time of the month",
        "that time of the month",
    )
)
# round 26: the antibacterials kept for when the others are unsuitable go after their equals (a tie-break, no
# points): the fluoroquinolones (ATC J01MA; MHRA Drug Safety Update March 2019: not for mild or moderate
# infections, uncomplicated cystitis among them, unless the other antibiotics recommended are inappropriate -
# disabling, long-lasting side effects) and co-trimoxazole (J01EE01; BNF "Co-trimoxazole": for urinary-tract
# infections only with bacteriological evidence of sensitivity and good reason to prefer the combination)
RESERVED_ATC = ("J01MA", "J01EE01")
# round 26: the complaints of the belly beside which a bare pain word is the belly's (NHS "Stomach ache":
# trapped wind, indigestion, constipation, a stomach bug; NHS "Bloating": with a tummy pain)
BELLY_TARGETS = frozenset(
    f"s:{key}"
    for key in ("bloating", "indigestion", "stomach_ache", "diarrhoea", "constipation", "heartburn", "nausea")
)
BARE_PAIN_KEYS = frozenset(("pain", "aches", "hurts", "疼痛", "疼", "痛", "아파요", "아픔", "통증"))
# round 26: the flu is a fever with aches (NHS "Flu": paracetamol or ibuprofen to lower a temperature and
# treat aches and pains): beside a condition that rules the NSAIDs out, the flu is the fever and the pain
# they would treat (the Korean 몸살감기 of a methotrexate patient listed multi-herb liquids first)
FLU_FEVER_PAIN_TARGETS = FEVER_PAIN_TARGETS | {"s:flu"}
# a medicine the person already takes ("on warfarin", 在吃华法林, 와파린 먹고 있는데): context, not the thing
# searched, when the rest of the query names a complaint
TAKING_BEFORE = re.compile(
    # (a bare "taking" is left out: "ok taking ibuprofen for a headache" asks about that ibuprofen; round 19:
    # so is "can / should i take X", a question about X)
    r"(?<![a-z])(?:on|already taking|already on|im taking|i m taking|i am taking|been taking|currently taking"
    r"|still taking|(?<!can )(?<!could )(?<!should )(?<!may )(?<!would )(?<!do )i take|i also take"
    r"|i already take"
    # round 19: "what can i take with warfarin", "is it safe with my sertraline": the medicine beside is taken
    r"|take (?:with|alongside)|taking (?:with|alongside)|safe (?:to take )?with|ok (?:to take )?with"
    r"|okay (?:to take )?with|alongside|together with)[ ]+(?:my )?(?=[a-z])"
    r"|(?:正在吃|在吃|吃着|正在服用|在服用|长期吃|一直吃|一直在吃)"
)
TAKING_AFTER = re.compile(r"\s*(?:을|를)?\s*(?:먹고\s?있|먹는\s?중|복용\s?중|복용하고\s?있|먹고\s?있는데)")


def _without_condition(words: re.Pattern[str], text: str) -> str:
    """The text without a condition's words, nor the Korean "taking" phrase right after them (round 24: the
    먹고 있는데 of 리튬 먹고 있는데 was left, and 먹고 read as a one-jamo slip of 석고, gypsum)."""
    pieces: list[str] = []
    last = 0
    for match in words.finditer(text):
        pieces.append(text[last : match.start()])
        last = match.end()
        after = TAKING_AFTER.match(text, last)
        if after is not None:
            last = after.end()
            while last < len(text) and is_hangul(text[last]):
                last += 1
    pieces.append(text[last:])
    return " ".join(" ".join(pieces).split())


def _first_named(options: Sequence[str], named: Callable[[str], set[str]]) -> tuple[str, set[str]] | None:
    """The first of ``options`` (longest first) that names medicines, with their ingredients."""
    for phrase in options:
        found = named(phrase)
        if found:
            return phrase, found
    return None


def _asks_breastfeeding(query: str) -> bool:
    return (
        bool(set(query.split()) & BREASTFEEDING_WORDS)
        or any(w in query for w in BREASTFEEDING_PHRASES)
        or any(w in query for w in BREASTFEEDING_WORDS_LOCAL)
    )


def breastfeeding_fit(note: str | None) -> int:
    """+1 when a product's breastfeeding note calls it compatible or acceptable, -1 when it says to avoid
    it or not to breastfeed, else 0 (ask a doctor, as prescribed, unsaid)."""
    text = (note or "").casefold()
    if text.startswith(("avoid", "contraindicated", "not recommended", "do not")):
        return -1
    if "compatible" in text or "acceptable" in text or text.startswith("can be used"):
        return 1
    return 0


def pregnancy_fit(note: str | None) -> int:
    """+1 when a product's pregnancy note calls it acceptable, -1 when it says to avoid it, else 0."""
    text = (note or "").casefold()
    if ("acceptable" in text or text.startswith("can be used")) and "avoid" not in text:
        return 1
    if "acceptable" in text or text.startswith("can be used"):
        return 0  # acceptable with a caveat ("usual doses are acceptable; avoid high-dose vitamin a")
    if "avoid" in text or "contraindicated" in text or "not for use" in text:
        return -1
    return 0


# round 33: a pregnancy note that names the usual choices of its kind ("loratadine and cetirizine are the
# usual choices if needed", "lactulose and macrogol are the usual choices"): for a pregnant woman the products
# holding them go first among the products of that kind; 'pregnant and my hay fever is awful' listed Aerius
# and Allegra before cetirizine, loratadine not in the top eight (NHS "Hay fever": loratadine and cetirizine
# in pregnancy; BUMPS "Antihistamines in pregnancy"; from memory)
USUAL_CHOICES = re.compile(r"([a-z]+) (?:and|or) ([a-z]+) are (?:the usual choices|preferred)")


def pregnancy_choices(note: str | None) -> frozenset[str]:
    """The ingredients a pregnancy note names as the usual choices of its kind, or none."""
    found = USUAL_CHOICES.search((note or "").casefold())
    return frozenset(found.groups()) if found else frozenset()


def _singular(word: str) -> str:
    """A rough English singular: ``sores`` -> ``sore``, ``allergies`` -> ``allergy``; others unchanged."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _singular_forms(word: str) -> list[str]:
    """Candidate singulars of a query word, most likely first (``headaches``: ``headache``, ``headach``)."""
    forms = [_singular(word)]
    if len(word) > 4 and word.endswith("es"):
        forms.append(word[:-2])
    return [w for w in forms if w != word]


def _fold_plural(phrase: str) -> str:
    return " ".join(_singular(word) for word in phrase.split())


# round 22: one spelling for a form word written two ways in Korean (젤 / 겔, gel)
FORM_SPELLINGS = {"젤": "겔"}


def _name_folded(phrase: str) -> str:
    """``phrase`` in the singular, without spaces, each form word in one spelling: how a name typed with
    its form word is compared with the name ("advil liqui gel", "Advil Liqui Gels")."""
    folded = _fold_plural(phrase).replace(" ", "")
    for spelling, usual in FORM_SPELLINGS.items():
        folded = folded.replace(spelling, usual)
    return folded


def _name_starts(product: Product) -> set[str]:
    """The first word of each name, and for Chinese and Korean words their prefixes of 2+ characters."""
    starts: set[str] = set()
    for name in (product.name_en, product.name_zh, product.name_ko):
        first = normalize(name).split(" ", 1)[0] if name else ""
        if not first:
            continue
        starts.add(first)
        if not _is_latin_key(first):
            starts.update(first[:end] for end in range(2, min(len(first), 8)))
    return starts


def warm_up() -> None:
    """Load jieba's dictionary and pypinyin's tables now rather than on the first build (about 1.5 s)."""
    _tokenizer()
    pinyin_forms("药")


@dataclass(frozen=True, slots=True)
class Entry:
    """One key's meaning: what kind of surface it is, what it points at, and the surface itself."""

    kind: str
    target: str
    surface: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the product, its score, and a short description of what matched."""

    product: Product
    score: float
    matched: str


@dataclass(frozen=True, slots=True)
class _Arrays:
    """Per-slot facts the ranking needs as arrays: alive, prescription-only, paediatric, adult-only."""

    alive: np.ndarray
    rx: np.ndarray
    device: np.ndarray
    child: np.ndarray
    adult: np.ndarray
    paediatric: np.ndarray
    child_form: (
        np.ndarray
    )  # an oral liquid labelled for children of a formula also sold as tablets or capsules
    min_age: np.ndarray  # years, 0 when the product states none
    aged: np.ndarray  # the product states a minimum age
    pregnancy: np.ndarray  # +1 acceptable in pregnancy, -1 to avoid, 0 unsaid (pregnancy_fit)
    breastfeeding: np.ndarray  # the same while breastfeeding (breastfeeding_fit)
    pid_rank: np.ndarray
    tokens: dict[str, np.ndarray]  # a word of the names, form or category -> slots
    starts: dict[str, np.ndarray]  # the first word of a name (and, for zh/ko, its prefixes) -> slots
    strengths: dict[tuple[str, float], np.ndarray]  # (unit, value) of an ingredient -> slots
    packs: dict[int, np.ndarray]  # units in the pack -> slots
    atc: dict[str, np.ndarray]  # an ATC prefix of ROUTE_EQUIVALENTS -> slots of the products in it
    # round 26: for an English or a Korean query, the products of the Chinese market (sold under Chinese
    # brands only, 百服咛; for Korean also a Korean name holding its brand in Chinese characters, 必理通):
    # after their equals of the same ingredients
    foreign: dict[str, np.ndarray]
    formula: np.ndarray  # the same number for the products of the same ingredients
    reserved: np.ndarray  # an antibacterial kept for when the others are unsuitable (RESERVED_ATC)


@dataclass(slots=True)
class _Match:
    kind: str
    target: str
    score: float
    label: str
    key: str = ""  # the indexed key that matched
    source: str = ""  # the kind of the key's entry (before a fuzzy or partial match relabels it)
    # a key holding a query word among others ("nappy" of "nappy rash"), not a key the query names whole
    partial: bool = False


def _flu_paracetamol() -> list[_Match]:
    """Plain paracetamol as the answer to the flu's fever and aches, scored as the complaint's answer."""
    return [
        _Match(
            "ingredient",
            "i:paracetamol",
            KIND_BASE["symptom"] * FLU_PARACETAMOL_SHARE,
            "ingredient:paracetamol",
            "paracetamol",
            "ingredient",
        )
    ]


def _key(text: str) -> str:
    return normalize(text)


def _hangul_variants(key: str) -> set[str]:
    """Other spellings of a spaced Korean key: without spaces, and without the particles of its words."""
    words = key.split()
    bare = [
        w[:-1] if i < len(words) - 1 and len(w) > 1 and w.endswith(KO_PARTICLES) else w
        for i, w in enumerate(words)
    ]
    variants = {"".join(words), " ".join(bare), "".join(bare)}
    variants.discard(key)
    return variants


def _without_particle(word: str) -> str:
    """A Korean word without the particle closing it ("허리가" -> "허리", "입술에" -> "입술")."""
    for particle in ("에서", "이랑", "인지", "인데", *KO_PARTICLES, "에"):
        if word.endswith(particle) and len(word) > len(particle):
            return word[: -len(particle)]
    return word


def _shared_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share from their start."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _other_ending(piece: str, key: str) -> bool:
    """Round 22: ``piece`` and ``key`` share only their start and then end in two or more different
    characters each (글루코사민, glucosamine, and 글루코파지, Glucophage): another word of a common prefix,
    not a slip in this one. The start of a name typed alone (글루코) still matches as a part of it."""
    key = key.replace(" ", "")
    shared = _shared_start(piece, key)
    tail, other = piece[shared:], key[shared:]
    return shared > 0 and len(tail) >= 2 and len(other) >= 2 and not set(tail) & set(other)


def _is_latin_key(key: str) -> bool:
    return NON_LATIN_CHARS.search(key) is None


class SearchIndex:
    """An in-memory inverted index of products, ingredients and symptoms in zh, ko and en."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or Vocabulary()
        self._products: dict[str, Product] = {}
        # every product ever indexed has a stable slot in the score arrays of ``_rank``
        self._slot: dict[str, int] = {}
        self._slot_pid: list[str] = []
        self._word_pinyin: dict[str, dict[str, str]] = defaultdict(dict)  # pinyin -> product id -> word
        self._product_pinyin: dict[str, list[str]] = {}  # product id -> its keys in _word_pinyin
        self._arrays: _Arrays | None = None
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # lists, not sets: most hold one to three items, and a set costs 200+ bytes even empty
        self._exact: dict[str, list[Entry]] = {}
        self._known_keys: set[str] = set()
        self._product_keys: dict[str, list[tuple[str, Entry]]] = {}
        self._by_ingredient: dict[str, set[str]] = defaultdict(set)
        self._by_symptom: dict[str, dict[str, int]] = defaultdict(dict)
        self._words: dict[str, int] = defaultdict(int)
        self._word_trigrams: dict[str, list[str]] = defaultdict(list)
        self._key_bigrams: dict[str, list[str]] = defaultdict(list)
        self._key_chars: dict[str, list[str]] = defaultdict(list)
        self._word_keys: dict[str, list[str]] = defaultdict(list)
        self._folded: dict[str, list[str]] = defaultdict(list)
        self._spelled: dict[str, str] = {}  # spelling_key(word) -> an indexed word spelled that way
        self._families: dict[str, list[tuple[str, str]]] = {}  # brand key -> (key, target) of its line
        # Korean initial consonants -> the Korean keys they spell ("ㅌㅇㄹㄴ" -> 타이레놀, 타이레놀 500mg)
        self._initials: dict[str, list[str]] = defaultdict(list)
        self._product_tokens: dict[str, frozenset[str]] = {}
        self._ingredient_terms: dict[str, str] = {}
        self._symptom_terms: dict[str, str] = {}
        self._classes: dict[str, tuple[str, ...]] = {}  # class key -> the ingredients it names
        # kinds of product not sold: latin terms by their first word (singular), as (words, kind); the
        # Chinese and Korean terms, longest first, as (term, kind)
        self._not_sold_latin: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._not_sold_local: list[tuple[str, str]] = []
        self._add_vocabulary()

    # -- building ---------------------------------------------------------------------------------

    @classmethod
    def build(cls, products: Iterable[Product], vocab: Vocabulary | None = None) -> SearchIndex:
        """Index ``products`` with the symptom and ingredient vocabularies."""
        index = cls(vocab)
        for product in products:
            index.upsert(product)
        index._ensure_arrays()
        return index

    def _add_key(
        self, text: str, entry: Entry, owner: str | None = None, *, with_pinyin: bool = True
    ) -> None:
        key = _key(text)
        if not key:
            return
        self._register(key, entry, owner)
        if _is_latin_key(key) and " " in key:
            # "lianhua qingwen" is also typed "lianhuaqingwen"
            # exact lookups only: a glued name must not feed the typo vocabulary
            self._register(key.replace(" ", ""), entry, owner, side_structures=False)
        elif " " in key and all(is_hangul(c) or c == " " for c in key):
            # Korean is spaced loosely and drops particles: "배가 아파요" is typed "배 아파요" or "배아파요"
            for variant in _hangul_variants(key):
                self._register(variant, entry, owner, side_structures=False)
        if with_pinyin and has_cjk(key):
            full, initials = pinyin_forms(key)
            pinyin_entry = Entry("pinyin", entry.target, entry.surface)
            if len(full) >= 2:
                self._register(full, pinyin_entry, owner)
            if len(initials) >= 2:
                self._register(initials, pinyin_entry, owner)
        if with_pinyin and not _is_latin_key(key):
            # the initial consonants of a Korean key ("ㅌㅇㄹㄴ"): read as the key, as pinyin initials are
            spelled = hangul_initials(key)
            if len(spelled) >= INITIALS_MIN_CHARS and key not in self._initials[spelled]:
                self._initials[spelled].append(key)

    def _add_word_pinyin(self, product: Product) -> None:
        """The pinyin of each Chinese word of a spaced name ("开塞露" of "开塞露（含甘油）"): a homophone
        typed by a pinyin keyboard (开赛露) that matched nothing else is looked up there last."""
        words = _key(product.name_zh).split()
        if len(words) < 2:
            return
        for word in words:
            if len(word) >= HOMOPHONE_MIN_CHARS and all(map(is_cjk, word)):
                full, _ = pinyin_forms(word)
                self._word_pinyin[full][product.id] = word
                self._product_pinyin.setdefault(product.id, []).append(full)

    def _word_homophone(self, text: str) -> list[_Match]:
        """Products with a word of their Chinese name that sounds like ``text`` (see _add_word_pinyin)."""
        full = pinyin_forms(text)[0]
        score = KIND_BASE["fuzzy"] * HOMOPHONE_QUALITY
        return [
            _Match("fuzzy", f"p:{pid}", score, f"fuzzy:{full}→{word}", full, "pinyin")
            for pid, word in sorted(self._word_pinyin.get(full, {}).items())
        ]

    def _register(self, key: str, entry: Entry, owner: str | None, *, side_structures: bool = True) -> None:
        entries = self._exact.setdefault(key, [])
        if owner is None:
            if entry not in entries:
                entries.append(entry)
        else:
            # a product's entries are unique by their target: check only this product's own keys
            # (a scan of ``entries`` is quadratic when many products share a name)
            owned = self._product_keys.setdefault(owner, [])
            if (key, entry) not in owned:
                entries.append(entry)
                owned.append((key, entry))
        if key in self._known_keys or not side_structures:
            return
        # the side structures learn each key once (a removed key's traces are harmless)
        self._known_keys.add(key)
        if _is_latin_key(key):
            self._folded[_fold_plural(key)].append(key)
            for word in dict.fromkeys(key.split()):
                if word not in self._words and len(word) >= 3 and not word.isdigit():
                    for gram in trigrams(word):
                        self._word_trigrams[gram].append(word)
                self._words[word] += 1
                self._word_keys[word].append(key)
                self._spelled.setdefault(spelling_key(word), word)
        else:
            # a spaced name is also found typed without its spaces ("쿨링시트" in "해열 쿨링 시트 6매")
            for gram in bigrams(key) | bigrams(key.replace(" ", "")):
                self._key_bigrams[gram].append(key)
            for char in set(key):
                self._key_chars[char].append(key)
            if len(key) >= 2 and has_cjk(key):
                _tokenizer().add_word(key, freq=200_000)

    def _add_vocabulary(self) -> None:
        for symptom, terms in self.vocab.symptoms.items():
            target = f"s:{symptom}"
            self._add_key(symptom.replace("_", " "), Entry("symptom", target, symptom))
            for lang_terms in terms.values():
                for term in lang_terms:
                    self._add_key(term, Entry("symptom", target, term))
            self._symptom_terms[symptom] = symptom.replace("_", " ")
        # a term listed under two or more ingredients is a class word: one target naming them all
        named: dict[str, list[str]] = defaultdict(list)
        for inn, terms in self.vocab.ingredients.items():
            for key in dict.fromkeys(_key(t) for lang_terms in terms.values() for t in lang_terms):
                if key and key != _key(inn):
                    named[key].append(inn)
        self._classes = {key: tuple(inns) for key, inns in named.items() if len(inns) > 1}
        for inn, terms in self.vocab.ingredients.items():
            self._add_ingredient(inn)
            target = f"i:{inn}"
            for lang, lang_terms in terms.items():
                for position, term in enumerate(lang_terms):
                    key = _key(term)
                    if key in self._classes:
                        self._add_key(term, Entry("class", f"c:{key}", term))
                        continue
                    kind = "ingredient" if lang != "en" and position == 0 else "synonym"
                    if key == _key(inn):
                        kind = "ingredient"
                    self._add_key(term, Entry(kind, target, term))

        local: set[tuple[str, str]] = set()
        for kind, terms in self.vocab.not_sold.items():
            for term in (t for lang_terms in terms.values() for t in lang_terms):
                key = _key(term)
                if not key:
                    continue
                if _is_latin_key(key):
                    words = tuple(_singular(w) for w in key.split())
                    if (words, kind) not in self._not_sold_latin[words[0]]:
                        self._not_sold_latin[words[0]].append((words, kind))
                else:
                    local.update({(key, kind), (key.replace(" ", ""), kind)})
        self._not_sold_local = sorted(local, key=lambda item: (-len(item[0]), item))

    def _add_ingredient(self, inn: str) -> None:
        if inn in self._ingredient_terms:
            return
        self._ingredient_terms[inn] = inn
        self._add_key(inn, Entry("ingredient", f"i:{inn}", inn))

    def upsert(self, product: Product) -> None:
        """Add a product or replace its previous version."""
        if product.id in self._products:
            self.remove(product.id)
        self._products[product.id] = product
        if product.id not in self._slot:
            self._slot[product.id] = len(self._slot_pid)
            self._slot_pid.append(product.id)
        self._changed()
        target = f"p:{product.id}"
        for name in (product.name_en, product.name_zh, product.name_ko):
            if not name:
                continue
            self._add_key(name, Entry("name", target, name), product.id)
            _, without_strength = extract_strengths(_key(name))
            if without_strength and without_strength != _key(name):
                self._add_key(without_strength, Entry("name", target, name), product.id)
            without_pack = NAME_PACK.sub("", without_strength).strip()
            if (
                without_pack
                and without_pack != without_strength
                and not any(e.target[0] != "p" for e in self._exact.get(without_pack, ()))
            ):
                # "退热贴 6贴", "避孕套 12只": the name as asked for, without the box count
                self._add_key(without_pack, Entry("name", target, name), product.id)
            words = without_strength.split()
            while len(words) > 1 and words[-1] in EN_FORM_WORDS:
                words.pop()
            stem = " ".join(words)
            if stem != without_strength and not any(e.target[0] != "p" for e in self._exact.get(stem, ())):
                self._add_key(stem, Entry("name", target, name), product.id)
            for suffix in ZH_FORM_SUFFIXES:
                if without_strength.endswith(suffix) and len(without_strength) - len(suffix) >= 2:
                    stem = without_strength[: -len(suffix)].strip()
                    # 布洛芬片 without 片 is the ingredient 布洛芬: leave that key to the ingredient
                    if not any(e.target[0] != "p" for e in self._exact.get(stem, ())):
                        self._add_key(stem, Entry("name", target, name), product.id)
                    break
        self._add_word_pinyin(product)
        for brand in product.brands:
            self._add_key(brand.name, Entry("brand", target, brand.name), product.id)
            hangul = bool(brand.name) and all(is_hangul(c) for c in brand.name)
            if hangul and len(brand.name) >= ROMAN_MIN_SYLLABLES:
                # a Korean brand typed in Latin letters as it sounds ("tairenol"): found as pinyin is
                roman = romanized_hangul(brand.name)
                self._add_key(roman, Entry("pinyin", target, brand.name), product.id)
        for ingredient in product.ingredients:
            self._add_ingredient(ingredient.name)
            self._by_ingredient[ingredient.name].add(product.id)
        for position, symptom in enumerate(product.indications):
            self._by_symptom[symptom].setdefault(product.id, position)
            if symptom not in self._symptom_terms:
                self._symptom_terms[symptom] = symptom.replace("_", " ")
                self._add_key(symptom.replace("_", " "), Entry("symptom", f"s:{symptom}", symptom))
        tokens: set[str] = set()
        for text in (product.name_en, product.generic_name_en, product.dosage_form, product.category):
            tokens.update(_key(text).split())
        for text in (product.name_zh, product.name_ko):
            tokens.update(_key(text).split())
            tokens.update(CJK_CHARS.findall(text))
        tokens.update([spelling_key(t) for t in tokens if _is_latin_key(t)])
        self._product_tokens[product.id] = frozenset(tokens)

    def remove(self, medicine_id: str) -> None:
        """Drop a product from the index (unknown ids are ignored)."""
        product = self._products.pop(medicine_id, None)
        if product is None:
            return
        self._changed()
        for key, entry in self._product_keys.pop(medicine_id, []):
            entries = self._exact.get(key)
            if entries is not None:
                if entry in entries:
                    entries.remove(entry)
                if not entries:
                    del self._exact[key]
        for ingredient in product.ingredients:
            self._by_ingredient[ingredient.name].discard(medicine_id)
        for symptom in product.indications:
            self._by_symptom[symptom].pop(medicine_id, None)
        self._product_tokens.pop(medicine_id, None)
        for full in self._product_pinyin.pop(medicine_id, []):
            self._word_pinyin[full].pop(medicine_id, None)

    def get(self, medicine_id: str) -> Product | None:
        """The indexed product with this id, or None."""
        return self._products.get(medicine_id)

    def __len__(self) -> int:
        return len(self._products)

    @property
    def products(self) -> list[Product]:
        """Every indexed product, by id."""
        return [self._products[pid] for pid in sorted(self._products)]

    def stats(self) -> dict[str, int]:
        """Sizes of the index structures (for benchmarks and the health page)."""
        return {
            "products": len(self._products),
            "keys": len(self._exact),
            "latin_words": len(self._words),
            "word_trigrams": len(self._word_trigrams),
            "key_bigrams": len(self._key_bigrams),
        }

    # -- querying ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, lang: str | None = None) -> list[SearchHit]:
        """The best products for ``query``; an empty list when nothing matches. Raises InvalidInput."""
        if not isinstance(query, str):
            raise InvalidInput("the query must be text", code="invalid_query")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(
                "limit must be between 1 and {max_limit}", code="invalid_limit", max_limit=MAX_LIMIT
            )
        if lang is not None and lang[:2] not in ("en", "zh", "ko"):
            raise InvalidInput("lang must be en, zh or ko", code="invalid_lang")
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidInput(
                "the query is longer than {max_query_chars} characters",
                code="query_too_long",
                max_query_chars=MAX_QUERY_CHARS,
            )
        normalized = join_spaced_characters(
            to_simplified(strip_pinyin_tones(normalize(query)), self._key_chars)
        )
        if not normalized:
            return []
        normalized = SLANG_AF.sub(r"\1", normalized)
        normalized = SLANG_NAME_WORDS.sub(lambda m: SLANG_NAMES[m.group(0)], normalized)
        initials = initials_query(normalized)
        if initials:
            # "ㅌㅇㄹㄴ": only Korean initial consonants, the way a Korean keyboard abbreviates a name
            segments = self._initials_segments(initials)
            for segment in segments:
                self._add_families(segment)
            return self._rank(segments, [], [], limit, query=initials)
        if any(c.isdigit() for c in normalized):
            normalized = " ".join(self._unglued(word) for word in normalized.split())
        if CJK_CHARS.search(normalized):
            normalized = to_catalog_variants(normalized, self._key_chars)
        if _pet_is_patient(normalized):
            return []
        strengths, rest = extract_strengths(normalized)
        packs, rest = query_packs(rest)
        long_acting = LONG_ACTING.search(rest) is not None
        fast_acting = not long_acting and FAST_ACTING.search(rest) is not None
        if long_acting or fast_acting:
            rest = " ".join((LONG_ACTING if long_acting else FAST_ACTING).sub(" ", rest).split())
        spare_liver = LIVER_WORDS.search(rest) is not None and DRINKING_WORDS.search(rest) is not None
        if spare_liver:
            rest = " ".join(LIVER_WORDS.sub(" ", rest).split())
        sugar_free = SUGAR_FREE.search(rest) is not None
        if sugar_free:
            rest = " ".join(SUGAR_FREE.sub(" ", rest).split())
        preservative_free = PRESERVATIVE_FREE.search(rest) is not None
        if preservative_free:
            rest = " ".join(PRESERVATIVE_FREE.sub(" ", rest).split())
        cant_swallow = CANT_SWALLOW.search(rest) is not None
        excluded, excluded_forms, rest = self._negated(rest)
        kinds: list[str] = []
        lens_drops = False
        retinoid = False
        isotretinoin = ISOTRETINOIN_WORDS.search(rest)
        if isotretinoin is not None and (
            any(cue.end() == isotretinoin.start() for cue in TAKING_BEFORE.finditer(rest))
            or TAKING_AFTER.match(rest, isotretinoin.end()) is not None
        ):
            # round 29: isotretinoin (not carried) said as taken ("on roaccutane", 在吃异维A酸, 로아큐탄
            # 먹는 중) beside a complaint is context, not the search ("accutane for bad acne" still is)
            without = " ".join(ISOTRETINOIN_WORDS.sub(" ", rest).split())
            if without and self._names_carried(without, symptoms=True):
                retinoid = True
                rest = without
        not_sold, remainder = self._not_sold(rest, kinds)
        if not_sold:
            # "adult diapers", "선크림", "baby wipes": a kind of product the catalog does not sell, named
            # whole before any typo fix; answered only for what else the query names whole. A complaint
            # named after a medicine the catalog does not carry is what that medicine is for ("mebendazole
            # itchy bottom"), not what it brought
            medicine = all(kind == MEDICINES_NOT_CARRIED for kind in kinds)
            caused = CAUSED_BY.search(rest) is not None or (
                not medicine and self._complaint_after(rest, not_sold[0])
            )
            # eye, ear or nose drops asked beside it ("eye drops for contact lenses", 戴隐形眼镜 眼药水): a
            # medicine the catalog carries, the kind not sold only says what they are for (beside a medicine
            # not carried, the form is that medicine's: "naloxone nasal spray")
            local = set() if medicine else LOCAL_MEDICINE_FAMILIES.intersection(query_forms(remainder))
            if not self._names_carried(remainder, symptoms=caused) and not local:
                return []
            lens_drops = "contact_lenses" in kinds and "eye_drops" in local
        rest = remainder
        rest = DIGITS_BEFORE_WORD.sub(
            lambda m: m.group(0) if m.group(0) in self._exact else f"{m.group(1)} {m.group(2)}", rest
        )
        western_only = WESTERN_ONLY.search(rest) is not None
        if western_only:
            rest = " ".join(WESTERN_ONLY.sub(" ", rest).split())
        herbal_only = not western_only and HERBAL_ONLY.search(rest) is not None
        if herbal_only:
            rest = " ".join(HERBAL_ONLY.sub(" ", rest).split())
        rest = " ".join(ORIGIN_WORDS.sub(" ", COLD_WEATHER.sub(" ", rest)).split())
        if SORE_AFTER.search(rest):
            rest = SORE_AFTER.sub(self._sore_part, rest)
        allergens, rest = self._allergies(rest)
        if allergens:
            excluded = excluded | allergens
        # round 29: rebound congestion from a decongestant spray ("hooked on afrin", 药物性鼻炎): a blocked
        # nose; read before the medicines taken, whose "on afrin" it holds, and the words leave the query
        rebound = REBOUND_NOSE_WORDS.search(rest) is not None
        if rebound:
            rest = " ".join(REBOUND_NOSE_WORDS.sub(" ", rest).split())
        taken, rest = self._taking(rest)
        avoid, rest = self._conditions(rest, taken)
        if rebound:
            avoid = avoid | {REBOUND_NOSE}
        if retinoid:
            avoid = avoid | {AVOID_TETRACYCLINE}
        if AVOID_ULIPRISTAL in avoid:
            # round 29: with an enzyme inducer ulipristal is not recommended at all (FSRH): ruled out
            excluded = excluded | {"ulipristal"}
        if cant_swallow:
            avoid = avoid | {WANTS_LIQUID}
        if sugar_free:
            avoid = avoid | {AVOID_SUGAR}
        if spare_liver:
            avoid = avoid | {AVOID_PARACETAMOL}
        elif DRINKING_WORDS.search(rest) is not None:
            avoid = avoid | {HANGOVER_PAIN}
        if NIGHT_TIME_SAID.search(rest) is not None:
            rest = " ".join(NIGHT_TIME_SAID.sub(" ", rest).split())
        if NIGHT_ASKED.search(rest) is not None:
            avoid = avoid | {WANTS_NIGHT}
        if long_acting:
            avoid = avoid | {WANTS_LONG_ACTING}
        if fast_acting:
            avoid = avoid | {WANTS_FAST_ACTING}
        if allergens & set(self._classes.get("nsaid", ())):
            avoid = avoid | {AVOID_NSAID}
        if allergens and allergens & self._antihypertensives((PENICILLIN_ATC,)):
            avoid = avoid | {AVOID_CEPHALOSPORIN}
        families = query_forms(rest)
        for phrase in FORM_PHRASES:
            # 喷鼻子的: a route said with the body part, not a nose complaint
            rest = rest.replace(phrase, " ")
        for colloquial, formal in ZH_ALIASES.items():
            rest = rest.replace(colloquial, formal)
        if any(word in KO_ALIASES for word in rest.split()):
            rest = " ".join(KO_ALIASES.get(word, word) for word in rest.split())
        if any(w in KO_INTENSIFIERS for w in rest.split()):
            rest = " ".join(w for w in rest.split() if w not in KO_INTENSIFIERS)
        segments, leftovers = self._segments(rest)
        if (
            GLAUCOMA_WORDS.search(rest) is not None
            and not self._segments(" ".join(GLAUCOMA_WORDS.sub(" ", rest).split()))[0]
        ):
            # round 23 leftovers: glaucoma with nothing else asked but a form ("glaucoma eye drops",
            # 青光眼眼药水, 녹내장 안약) asks for its treatment, which the catalog does not carry (as
            # medicines_not_carried): nothing, rather than other eye drops (some to avoid in glaucoma)
            return []
        if self._herb_for_other_purpose(segments, leftovers):
            # round 25: an herb the catalog holds only inside multi-herb formulas, asked for a purpose search
            # does not know ("红景天 防高原反应": rhodiola against altitude sickness): nothing, rather than a
            # formula holding it among a dozen herbs for another complaint (Lianhua Qingwen, a cold remedy)
            return []
        if WANTS_NIGHT in avoid:
            # the night asked is a wish of the product, not a word of its name
            leftovers = [w for w in leftovers if w not in NIGHT_LEFTOVERS]
        asked_nsaids: frozenset[str] = frozenset()
        if avoid & {AVOID_NSAID, NSAID_CAUTION}:
            # round 20: an NSAID asked about beside a condition ruling it out ("有哮喘 能吃布洛芬吗", "on
            # warfarin, can i take advil"): the safer choice is the answer, found even when no complaint
            # is said
            asked_nsaids = frozenset(
                inn for seg in segments for m in seg if not m.partial for inn in self._nsaids_of(m)
            )
            if asked_nsaids and not any(self._treats(m, FEVER_PAIN_TARGETS) for seg in segments for m in seg):
                # scored as a complaint's answer, below the NSAID named: a few lifted, then what was asked
                paracetamol = _Match(
                    "ingredient",
                    "i:paracetamol",
                    KIND_BASE["symptom"],
                    "ingredient:paracetamol",
                    "paracetamol",
                    "ingredient",
                )
                segments.append([paracetamol])
        if (
            avoid & {AVOID_NSAID, AVOID_ALL_NSAIDS}
            and any(m.target == "s:flu" and not m.partial for seg in segments for m in seg)
            and not any(
                self._treats(m, FEVER_PAIN_TARGETS) and not m.partial for seg in segments for m in seg
            )
        ):
            # round 26: the flu beside a condition that rules the NSAIDs out (methotrexate, lithium, kidney
            # disease: FLU_FEVER_PAIN_TARGETS): plain paracetamol first, as beside high blood pressure, and
            # the combinations by mouth (some hold an NSAID or aspirin) after the single medicines
            avoid = avoid | {COLD_COMBINATIONS_LATER}
        if (
            any(m.target == "s:flu" and not m.partial for seg in segments for m in seg)
            and not any(m.target.endswith("_testing") for seg in segments for m in seg)
            and FLU_TEST_WORDS.search(rest) is not None
        ):
            test = _Match(
                "symptom", "s:influenza_testing", KIND_BASE["symptom"], "symptom:flu test", "flu test"
            )
            segments = [seg for seg in segments if not all(m.target in ("s:flu", "s:fever") for m in seg)] + [
                [test]
            ]
        if (
            any(m.target == "s:gout" and not m.partial for seg in segments for m in seg)
            and any(m.target in GOUT_ELSEWHERE and not m.partial for seg in segments for m in seg)
            and not any(m.target in GOUT_FLARE_SIGNS for seg in segments for m in seg)
            and GOUT_ATTACK_WORDS.search(rest) is None
        ):
            # round 31: gout beside a headache, a toothache or another pain away from the joints: a
            # condition; the pain is the search, plain paracetamol first as for the other conditions that
            # rule aspirin out (a teenager: round 16), the combinations holding aspirin last
            segments = [seg for seg in segments if not all(m.target == "s:gout" for m in seg)]
            avoid = avoid | {PARACETAMOL_FIRST}
        if any(m.target == "s:gout" and not m.partial for seg in segments for m in seg) and (
            GOUT_FLARE_WORDS.search(rest) is not None
            or any(
                m.target in GOUT_FLARE_SIGNS or self._treats(m, PAIN_TARGETS)
                for seg in segments
                for m in seg
                if m.target != "s:gout"
            )
        ):
            # round 28: gout beside a flare word, a pain or a swelling (痛风又犯了, 大脚趾肿 疼死) is a
            # flare: its treatments (an NSAID, colchicine) are candidates before the urate-lowering
            # preventers (NICE CKS "Gout": an NSAID or colchicine for a flare; allopurinol and febuxostat
            # prevent flares and do not treat one; from memory)
            segments.append(
                [_Match("symptom", "s:gout_flare", KIND_BASE["symptom"], "symptom:gout flare", "gout flare")]
            )
        if AVOID_CYP3A4_STEROID in avoid and any(
            self._treats(m, NOSE_ALLERGY_TARGETS) for seg in segments for m in seg
        ):
            # round 28: ritonavir or cobicistat beside hay fever or a nose complaint: the steroid sprays go
            # last, and a saline spray or rinse is a candidate though its label does not name hay fever (NICE
            # CKS "Allergic rhinitis": nasal irrigation with saline may help; a non-sedating antihistamine)
            segments.append(self._saline_nose())
        if SALINE_FIRST in avoid and any(m.target == "s:stuffy_nose" for seg in segments for m in seg):
            # round 29: glaucoma or an enlarged prostate beside a blocked nose: saline sprays and rinses
            # answer the cold too (NHS "Common cold": saline drops or sprays; their labels: a blocked nose)
            segments.append(self._saline_nose())
        if REBOUND_NOSE in avoid:
            # round 29: rebound congestion is a blocked nose; the steroid sprays and saline its answers
            segments.append(
                [
                    _Match("symptom", "s:stuffy_nose", KIND_BASE["symptom"], "symptom:rebound", "rebound"),
                    *self._saline_nose(),
                ]
            )
        if (
            BABY_STATED in avoid
            and any(m.target in BABY_PARACETAMOL_TARGETS for seg in segments for m in seg)
            and not any(
                self._treats(m, FEVER_PAIN_TARGETS - {"s:sore_throat"}) for seg in segments for m in seg
            )
        ):
            # after round 29: a baby's cough or sore throat: plain paracetamol, labelled for the age, for the
            # discomfort
            segments.append(_flu_paracetamol())
        if AVOID_NSAID in avoid and any(m.target == "s:migraine" for seg in segments for m in seg):
            # round 30: a migraine beside a condition that rules out the NSAIDs and aspirin by mouth (an SSRI,
            # 吃舍曲林的人 偏头痛): few products name migraine (aspirin with paracetamol and caffeine, a
            # triptan), so plain paracetamol, whose label names headache, is a candidate, lifted first by the
            # rule's paracetamol lift (NICE CKS "Migraine": paracetamol, an NSAID or aspirin for an attack;
            # BNF SSRI interactions with aspirin and the NSAIDs: increased risk of bleeding)
            segments.append(_flu_paracetamol())
        if COLD_COMBINATIONS_LATER in avoid and self._flu_without_fever_words(segments):
            # round 23 leftovers: flu beside high blood pressure, glaucoma or an enlarged prostate: plain
            # paracetamol relieves its fever and aches though its label does not name flu (NHS "Flu": rest,
            # keep warm, paracetamol or ibuprofen for the fever and aches; NICE CKS "Influenza - seasonal"),
            # so it is a candidate, scored as the complaint's answer and lifted first by the round-23 rule
            segments.append(_flu_paracetamol())
        if (
            AVOID_BLEEDING in avoid
            and any(m.target in SPRAIN_OR_BRUISE for seg in segments for m in seg)
            and not any(
                m.target == "i:paracetamol"
                or (m.target.startswith("s:") and m.target not in SPRAIN_OR_BRUISE)
                for seg in segments
                for m in seg
            )
        ):
            # round 21: an anticoagulant beside a sprain or a bruise with no pain word (on warfarin, sprained
            # my ankle): the NSAIDs that treat it are ruled out, and plain paracetamol, which its labels do
            # not list for a sprain, is the painkiller left (NHS "Sprains and strains": paracetamol for the
            # pain; NICE CKS "Anticoagulation - oral": avoid OTC NSAIDs): listed after the sprain's own
            # answers (a cold pack, a bandage)
            segments.append(
                [
                    _Match(
                        "ingredient",
                        "i:paracetamol",
                        KIND_BASE["symptom"] * ANTICOAGULANT_PAIN_SHARE,
                        "ingredient:paracetamol",
                        "paracetamol",
                        "ingredient",
                    )
                ]
            )
        lay = [
            any(m.key in LAY_ANTIBIOTIC_KEYS for m in seg)
            and not any(m.source in ("name", "brand") and not m.partial for m in seg)
            for seg in segments
        ]
        if any(lay) and any(
            not is_lay and any(m.target.startswith("s:") and m.target != "s:bacterial_infection" for m in seg)
            for seg, is_lay in zip(segments, lay, strict=True)
        ):
            # round 21: 消炎药 beside a complaint (尿路感染 消炎药, 扁桃体发炎 吃什么消炎药) asks for an
            # antibiotic in everyday Chinese, not for the NSAIDs its characters name: the complaint
            # answers alone, its own products first, then its antibiotics (prescription-only, after every
            # OTC product); the NSAIDs no longer lead as if they were the same, nor do broad antibiotics
            # outrank the complaint's own (nitrofurantoin for a cystitis)
            segments = [seg for seg, is_lay in zip(segments, lay, strict=True) if not is_lay]
            if any(self._is_antibiotic(inn) for inn in allergens):
                # round 33: and beside an antibiotic allergy (青霉素过敏 扁桃体发炎 消炎药) the word asks for
                # an antibiotic the person can take, as the word antibiotic does (round 31): the throat
                # lozenges came first, no macrolide (NICE NG84 "Sore throat (acute)": with a penicillin
                # allergy, clarithromycin or erythromycin; the allergy itself rules the penicillins out)
                avoid = avoid | {ANTIBIOTIC_ASKED}
        if any(m.key in ANTIBIOTIC_KEYS for seg in segments for m in seg) and any(
            m.target.startswith("s:") and m.target != "s:bacterial_infection" and not m.partial
            for seg in segments
            for m in seg
        ):
            avoid = avoid | {ANTIBIOTIC_ASKED}
            # round 32: and the word adds nothing to the complaint's own, as 消炎药 does not
            # ("uti antibiotic", "water infection, which antibiotic" put the broad antibiotics,
            # ciprofloxacin and co-trimoxazole, whose labels name both, before the cystitis ones; NICE
            # NG109: nitrofurantoin first, and first in pregnancy)
            asked = [
                seg
                for seg in segments
                if not all(m.key in ANTIBIOTIC_KEYS and m.source not in ("name", "brand") for m in seg)
            ]
            if asked:
                segments = asked
        if any(m.target in RESCUE_CONDITIONS and not m.partial for seg in segments for m in seg):
            # round 32: "first aid" beside an attack ("心绞痛发作 急救吃什么药", "asthma attack first aid"):
            # what to take at once, the condition's own medicines; the first-aid kit and plasters it named
            # alone came first
            # (응급 beside the attack is that urgency, read only as a part of longer keys: 응급처치,
            # 응급피임약)
            urgent = [
                seg
                for seg in segments
                if not (all(m.target == "s:first_aid" for m in seg) or all(m.partial for m in seg))
            ]
            if urgent:
                segments = urgent
        if any(m.target == "s:chesty_cough" and not m.partial for seg in segments for m in seg):
            # round 32: the throat said beside phlegm is where the phlegm sits (喉咙老有痰, 嗓子里有痰), no
            # sore throat: its part of a sore-throat key read whole put the throat-and-cold combinations
            # before the mucolytics
            where = [
                seg
                for seg in segments
                if not (all(m.partial for m in seg) and any(m.target == "s:sore_throat" for m in seg))
            ]
            if where:
                segments = where
        said = {m.target for seg in segments for m in seg}
        if any(
            m.target == "s:shingles" and not m.partial and m.kind != "fuzzy" for seg in segments for m in seg
        ):
            avoid = avoid | {SHINGLES_ORAL}
        if "s:constipation" in said and ELDERLY_WORDS.search(rest) is not None:
            avoid = avoid | {OSMOTIC_FIRST}
        if "s:angina" in said and ANGINA_ATTACK_WORDS.search(rest) is not None:
            avoid = avoid | {ANGINA_RESCUE}
        if "s:hives" in said:
            avoid = avoid | {HIVES_ORAL}
        if "s:asthma" in said and ANGINA_ATTACK_WORDS.search(rest) is not None:
            avoid = avoid | {ASTHMA_RESCUE}
        if NOROVIRUS_WORDS.search(rest) is not None and said & DISINFECTION_TARGETS:
            # round 27: norovirus: a chlorine bleach, found and lifted first
            avoid = avoid | {CHLORINE_FIRST}
            segments.append(
                [
                    _Match(
                        "ingredient",
                        "i:sodium hypochlorite",
                        KIND_BASE["symptom"],
                        "ingredient:sodium hypochlorite",
                        "sodium hypochlorite",
                        "ingredient",
                    )
                ]
            )
        if "s:fever" in said and said & DIARRHOEA_TARGETS:
            # a fever and a diarrhoea together (round 16): both complaints kept; the NSAIDs last (a
            # dehydrating illness: NICE NG148 "Acute kidney injury" and the sick-day guidance - stop NSAIDs
            # while dehydrated), loperamide last (SmPC "Loperamide": not in acute dysentery with a high
            # fever), plain paracetamol first
            avoid = avoid | {AVOID_NSAID, AVOID_LOPERAMIDE}
        if AVOID_DECONGESTANT in avoid:
            self._ruled_out_kinds(segments)
            if any(m.target == "s:stuffy_nose" for seg in segments for m in seg):
                # round 18: a blocked nose with a cold beside high blood pressure: the nose is what is
                # asked; with the decongestants ruled out, a cold combination (paracetamol with an
                # antihistamine or caffeine) does nothing for it, saline and steroid sprays answer (NHS
                # "Common cold" and "Decongestants": not with high blood pressure; BNF "Nasal
                # decongestants, systemic": caution in hypertension)
                segments = [
                    seg for seg in segments if not all(m.target in ("s:common_cold", "s:flu") for m in seg)
                ]
        if AVOID_EYE_VASOCONSTRICTOR in avoid and said & RED_EYE_TARGETS and "s:dry_eyes" not in said:
            # round 23: a red eye with glaucoma: the lubricating (dry-eye) drops answer it, the
            # vasoconstrictor drops ruled out (below everything)
            segments.append(
                [
                    _Match(
                        "symptom",
                        "s:dry_eyes",
                        KIND_BASE["symptom"],
                        "symptom:dry_eyes",
                        "dry eyes",
                        "symptom",
                    )
                ]
            )
        if lens_drops and not segments:
            # eye drops for a contact lens wearer, no complaint said: the lubricating (dry-eye) drops
            dry = _Match(
                "symptom", "s:dry_eyes", KIND_BASE["symptom"], "symptom:dry_eyes", "dry eyes", "symptom"
            )
            segments.append([dry])
        temperature = TEMPERATURE.search(rest)
        if temperature and not any(m.target == "s:fever" for seg in segments for m in seg):
            # "my 3 year old is 38.9", "体温39度", "39도": a temperature read is a fever
            read = set(temperature.group(0).split())
            leftovers = [w for w in leftovers if w not in read and not TEMPERATURE.fullmatch(w)]
            fever = _Match("symptom", "s:fever", KIND_BASE["symptom"], "symptom:fever", "fever", "symptom")
            segments.append([fever])
        if (
            _in_the_sun(rest)
            and _mentions(rest, SKIN_FEELING_WORDS, SKIN_FEELING_LOCAL)
            and not any(m.target in ("s:sunburn", "s:minor_burns") for seg in segments for m in seg)
        ):
            # red, stinging skin after the beach: a sunburn, the feeling words read no other complaint
            sunburn = _Match(
                "symptom", "s:sunburn", KIND_BASE["symptom"], "symptom:sunburn", "sunburn", "symptom"
            )
            segments = [
                [sunburn],
                *(seg for seg in segments if not all(m.partial or m.kind == "fuzzy" for m in seg)),
            ]
        if _lip_blister(rest):
            # "tingly blister on my lip", 嘴唇上起了小水泡: a cold sore; the blister and lip words read no
            # other complaint and are no unknown words
            sore = _Match(
                "symptom", "s:cold_sores", KIND_BASE["symptom"], "symptom:cold_sores", "cold sores", "symptom"
            )
            segments = [
                [sore],
                *(
                    seg
                    for seg in segments
                    if not all(m.partial or m.target in ("s:wound_care", "s:cold_sores") for m in seg)
                ),
            ]
            leftovers = [
                w
                for w in leftovers
                if w not in LIP_WORDS | LIP_BLISTER_WORDS
                and not any(part in w for part in LIP_LOCAL + LIP_BLISTER_LOCAL)
            ]
        if SCALP_WORDS.search(rest) is None and any(
            m.key in BODY_FUNGAL_KEYS and not m.partial for seg in segments for m in seg
        ):
            avoid = avoid | {BODY_FUNGAL}
        fungal = _fungal_rash(rest)
        if fungal is not None and not any(
            m.target in NAMED_SKIN_DIAGNOSES and not m.partial for seg in segments for m in seg
        ):
            # round 19: an itchy ring, or a rash in a sweaty fold: the antifungals, the steroids last
            avoid = avoid | {AVOID_SKIN_STEROID}
            segments = [
                [
                    _Match(
                        "symptom",
                        fungal,
                        KIND_BASE["symptom"],
                        f"symptom:{fungal[2:]}",
                        fungal[2:],
                        "symptom",
                    )
                ],
                *(
                    seg
                    for seg in segments
                    if not all(m.partial or m.kind == "fuzzy" or m.target in FUNGAL_SIGNS for m in seg)
                ),
            ]
            leftovers = []
        if BODY_PART_BELOW.search(rest) is not None:
            # round 20: 눈 밑, 코 밑, 手下面 say where on a body part: 밑이 가려워요 or 下面痒 there is an
            # itch of the skin, not the genital one
            for seg in segments:
                for m in seg:
                    if m.target in GENITAL_READINGS and any(w in m.key for w in BELOW_WORDS):
                        # a part of such a phrase (밑이 of 밑이 가려워요, said beside a swelling) is no itch
                        m.target = "s:itching" if not m.partial else ""
            segments = [seg for seg in segments if any(m.target for m in seg)]
        eye_targets, periocular = _eye_complaint(rest)
        if eye_targets or periocular:
            segments, leftovers = self._eye_reading(segments, leftovers, rest, eye_targets, periocular)
            if periocular:
                avoid = avoid | {AVOID_FACE_STEROID}
        if any(
            m.target in NAMED_EYE_DIAGNOSES and not m.partial and m.kind != "fuzzy"
            for seg in segments
            for m in seg
        ):
            # round 21: an eye complaint named whole (针眼, a stye; 结膜炎): the loose guesses of the eye word
            # beside it (眼睛 as a part of 眼睛干, 眼睛痒) are no other complaint
            loose = EYE_NOT_READ_AS | NAMED_EYE_DIAGNOSES
            segments = [
                seg
                for seg in segments
                if not all((m.partial or m.kind == "fuzzy") and m.target in loose for m in seg)
            ]
        if any(m.target == "s:stye" and not m.partial for seg in segments for m in seg) and STYE_PAIN.search(
            " ".join(STYE_KEYS.sub(" ", rest).split())
        ):
            # round 23 leftovers: a painful stye: its own answers first, a plain painkiller after them
            segments = [
                seg
                for seg in segments
                if not all(m.target in PAIN_TARGETS or (m.partial and STYE_PAIN.search(m.key)) for m in seg)
            ]
            leftovers = [w for w in leftovers if not STYE_PAIN.search(w)]
            segments.append(
                [
                    _Match(
                        "ingredient",
                        f"i:{inn}",
                        KIND_BASE["symptom"] * STYE_PAINKILLER_SHARE,
                        f"ingredient:{inn}",
                        inn,
                        "ingredient",
                    )
                    for inn in STYE_PAINKILLERS
                ]
            )
        if any(m.target == "s:period_pain" and not m.partial for seg in segments for m in seg):
            segments = [
                seg
                for seg in segments
                if not all(m.target == "s:stomach_ache" and PERIOD_CRAMP_KEY.search(m.key) for m in seg)
            ]
        for diagnosis, signs in EXPLAINED_BY.items():
            if any(m.target == diagnosis for seg in segments for m in seg):
                segments = [seg for seg in segments if not all(m.target in signs for m in seg)]
        if any(m.target == "s:minor_burns" for seg in segments for m in seg) and _in_the_sun(rest):
            # "skin burnt after beach", 在海边晒了皮肤烫伤, 해변에서 화상: a burn from the sun is a sunburn
            for seg in segments:
                for m in seg:
                    if m.target == "s:minor_burns":
                        m.target = "s:sunburn"
        felt = _body_feeling(rest)
        if (
            not segments
            and families
            and all(
                w in ZH_FORM_WORDS or w in EN_FORM_WORDS or w in KO_FORM_TERMS or len(w) < 2
                for w in leftovers
            )
        ):
            # only a dosage form ("鼻喷剂", "eye drops"): it lists that form, not names holding the word
            leftovers = []
        if not segments:
            segments = self._latin_partials(leftovers)
        if not segments and len(rest.replace(" ", "")) <= COMPLETION_MAX_CHARS:
            segments = self._completions(leftovers)
        elif leftovers:
            segments += self._ingredient_words(leftovers)
            if (
                felt is None
                and not _sick_on_a_vehicle(segments, rest)
                and self._not_carried(rest, segments, leftovers, families)
            ):
                return []
        if felt is not None:
            # "it stings when i wee", 小便的时候疼, 오줌 눌 때 따가워요: a feeling in a body function
            # names the condition; the pain or burn words read on their own are that feeling, not
            # another complaint
            segments = [
                [_Match("symptom", felt, KIND_BASE["symptom"], f"symptom:{felt}", felt[2:], "symptom")],
                *(seg for seg in segments if not all(m.partial or m.target in FELT_AS for m in seg)),
            ]
        if any(m.target in SLEEP_LOST_TO for seg in segments for m in seg):
            # "牙疼得睡不着", "toothache cant sleep", "허리가 아파서 잠을 못 자요": the sleep lost to a
            # pain is the pain's; what treats both still edges ahead, a sleeping pill alone does not
            for seg in segments:
                if all(m.target == "s:insomnia" for m in seg):
                    for m in seg:
                        m.score *= SLEEP_LOST_WEIGHT
        if any(
            m.target == "s:period_pain" and not m.partial and m.key in PERIOD_TIME_KEYS
            for seg in segments
            for m in seg
        ):
            # round 26: a belly ache beside a period ("来月经 肚子疼", "on my period, stomach cramps") is the
            # period's pain (NHS "Period pain": painful muscle cramps in the tummy): its answers, the
            # NSAIDs first (NICE CKS "Dysmenorrhoea"), not the stomach remedies
            for seg in segments:
                for m in seg:
                    if m.target == "s:stomach_ache":
                        m.target = "s:period_pain"
        if any(m.target in BELLY_TARGETS for seg in segments for m in seg):
            # round 26: a bare pain word beside a complaint of the belly ("배에 가스 차고 아파요", "bloated
            # and it hurts", 胀气 还疼) is the belly's pain, not a pain of its own (the lidocaine ointment,
            # listed for pain, came second)
            for seg in segments:
                for m in seg:
                    if m.target == "s:pain" and m.key in BARE_PAIN_KEYS and not m.partial:
                        m.target = "s:stomach_ache"
        if _sick_on_a_vehicle(segments, rest):
            # "feel sick on the ferry", 坐船就想吐, 버스 타면 속이 울렁거려요: nausea on a vehicle is
            # motion sickness
            for seg in segments:
                for m in seg:
                    if m.target in NAUSEA_TARGETS:
                        m.target = "s:motion_sickness"
        if families:
            # a form word inside a brand or name the query types whole is that name (华素片,
            # 애드빌 리퀴겔), not a request
            # (round 22: and the same name typed with a singular or another spelling of its form word,
            # "advil liqui gel", 애드빌 리퀴 젤)
            typed = _name_folded(rest)
            named = {
                f
                for seg in segments
                for m in seg
                if m.source in ("brand", "name") and _name_folded(m.key) in typed
                for f in (*query_forms(m.key), *query_forms(_fold_plural(m.key)))
            }
            families = [f for f in families if f not in named]
        for segment in segments:
            self._add_families(segment)
            if families:
                self._add_substitutes(segment, families)
        self._line_variants(segments, leftovers, rest)
        segments += [[_Match("form", f"f:{family}", FORM_SCORE, f"form:{family}")] for family in families]
        # "임신 8개월", "6 months pregnant", 怀孕3个月: how far along a pregnancy is, not a baby's age
        pregnant = _asks_pregnancy(rest) or PREGNANCY_TERM.search(rest) is not None
        if pregnant and any(self._treats(m, FEVER_PAIN_TARGETS) for seg in segments for m in seg):
            # round 17: a pain or a fever in pregnancy: plain paracetamol first, before what the pregnancy
            # notes equally allow (a balm for a headache; NHS "Paracetamol for adults": the first choice of
            # painkiller in pregnancy), the NSAIDs staying last by their notes
            avoid = avoid | {PARACETAMOL_FIRST}
        if pregnant and any(self._treats(m, STOMACH_ACID_TARGETS) for seg in segments for m in seg):
            avoid = avoid | {PREGNANCY_ANTACID}
        if pregnant and any(m.target == "s:urinary_tract_infection" for seg in segments for m in seg):
            avoid = avoid | {PREGNANCY_UTI}
        if pregnant and any(m.target in FUNGAL_SKIN_TARGETS for seg in segments for m in seg):
            avoid = avoid | {PREGNANCY_ANTIFUNGAL}
        if pregnant and any(self._treats(m, COLD_TARGETS) for seg in segments for m in seg):
            # round 22: a blocked nose named: what goes in the nose (saline, a steroid spray) first, else
            # plain paracetamol for the cold
            nose = any(m.target == "s:stuffy_nose" for seg in segments for m in seg)
            avoid = avoid | {PREGNANCY_DECONGESTANT, PREGNANCY_NOSE if nose else PARACETAMOL_FIRST}
        age = _asked_age(PREGNANCY_TERM.sub(" ", rest))
        breastfeeding = _asks_breastfeeding(rest)
        if (
            not breastfeeding
            and age is not None
            and age < ADULT_AGE
            and _age_stated(PREGNANCY_TERM.sub(" ", rest))
        ):
            avoid = avoid | {CHILD_LABEL}
        if age is not None and age < BABY_LABEL_AGE and _age_stated(PREGNANCY_TERM.sub(" ", rest)):
            avoid = avoid | {BABY_LABEL}
            if age < HONEY_AGE:
                avoid = avoid | {AVOID_HONEY}
        elif not breastfeeding and age is not None and age <= BABY_AGE:
            # after round 29: a baby or newborn word without an age: honey below every other result
            avoid = avoid | {AVOID_HONEY}
        if (
            not breastfeeding
            and age is not None
            and age < YOUNG_CHILD_COLD_AGE
            and any(self._treats(m, COLD_TARGETS | COUGH_TARGETS) for seg in segments for m in seg)
        ):
            avoid = avoid | {YOUNG_CHILD_COLD}
            if bool(set(rest.split()) & (BABY_WORDS | TODDLER_WORDS)) and any(
                m.target in CHILD_NOSE_TARGETS for seg in segments for m in seg
            ):
                # round 30: a runny or blocked nose of a baby or toddler under 6 (age and baby word given,
                # 두 살 아기 콧물; "my daughter is 2, runny nose" keeps the antihistamine drops licensed from
                # 2 first, rounds 4 and 5): a saline spray or drops first, before the antihistamine drops
                # and the decongestant drops (MHRA Drug
                # Safety Update March 2009: no OTC cough and cold medicines under 6; NICE CKS "Common cold":
                # saline nose drops for children; NHS "Common cold": saline drops to help a child's blocked
                # or runny nose)
                avoid = avoid | {SALINE_FIRST}
                segments.append(self._saline_nose())
        if (
            not breastfeeding
            and age is not None
            and age < YOUNG_CHILD_GUT_AGE
            and any(self._treats(m, GUT_UPSET_TARGETS) and not m.partial for seg in segments for m in seg)
        ):
            avoid = avoid | {YOUNG_CHILD_GUT}
        if (
            not breastfeeding
            and age is not None
            and age < YOUNG_INFANT_AGE
            and any(m.target == "s:fever" for seg in segments for m in seg)
        ):
            avoid = avoid | {INFANT_FEVER}
            if age >= TYMPANIC_MIN_AGE:
                avoid = avoid | {INFANT_FEVER_TYMPANIC}
        if breastfeeding:
            # round 18: "breastfeeding my 2 month old, hay fever": the one asking is the mother; the baby's
            # age says what passes into the milk (the breastfeeding notes), not the form for a child
            age = None
            if any(self._treats(m, ALLERGY_TARGETS) for seg in segments for m in seg):
                avoid = avoid | {BREASTFEEDING_ANTIHISTAMINE}
            if any(self._treats(m, FEVER_PAIN_TARGETS) for seg in segments for m in seg):
                # round 26: a pain or a fever while breastfeeding: plain paracetamol first, before what the
                # notes equally allow (ibuprofen, a balm, paracetamol with caffeine), as in pregnancy (NHS
                # "Paracetamol for adults": the first choice of painkiller if you're pregnant or
                # breastfeeding; LactMed "Caffeine": a nursing infant may become irritable or sleep poorly)
                avoid = avoid | {PARACETAMOL_FIRST}
            if any(m.target in ("s:common_cold", "s:flu") for seg in segments for m in seg):
                # round 19: a cold while breastfeeding: plain paracetamol first, no decongestant by mouth
                # (NHS "Can I take cold and flu remedies while breastfeeding?": paracetamol or ibuprofen,
                # lozenges; avoid decongestants, which can reduce the milk supply, and combined remedies)
                avoid = avoid | {PARACETAMOL_FIRST, AVOID_ORAL_DECONGESTANT}
            if any(m.target == "s:stuffy_nose" for seg in segments for m in seg):
                # round 30: a blocked nose while breastfeeding: a saline spray first, before the decongestant
                # sprays and drops (NHS "Can I take cold and flu remedies while breastfeeding?": try saline
                # nasal drops or steam first; LactMed "Oxymetazoline": short-term use only; "Pseudoephedrine":
                # may reduce the milk supply); the saline sprays and rinses candidates though a cold is named
                avoid = avoid | {SALINE_FIRST}
                segments.append(self._saline_nose())
            if self._flu_without_fever_words(segments):
                # round 27: the flu while breastfeeding (哺乳期得了甲流): its fever and aches answered by
                # plain paracetamol, a candidate though its label does not name the flu, before the combined
                # remedies by mouth (NHS "Can I take cold and flu remedies while breastfeeding?": paracetamol
                # or ibuprofen, avoid combined remedies; CDC "Influenza (Flu) and Breastfeeding": keep
                # breastfeeding, oseltamivir the preferred antiviral, prescribed; from memory)
                avoid = avoid | {COLD_COMBINATIONS_LATER}
                segments.append(_flu_paracetamol())
        # an age of 12 or more given beside "son", "daughter" (round 16: "my 14 year old son") is no child
        # asking for a child's form: the adult tablets are labelled for that age
        wants_child_product = (
            not breastfeeding
            and (
                bool(set(rest.split()) & CHILD_WORDS)
                or any(w in rest for w in CHILD_WORDS_LOCAL)
                or (age is not None and age < ADULT_AGE)
            )
            and (age is None or age < ADULT_AGE)
        )
        return self._rank(
            segments,
            leftovers,
            strengths,
            limit,
            wants_child_product,
            rest,
            age,
            packs,
            excluded,
            pregnant,
            excluded_forms,
            breastfeeding,
            avoid,
            herbal_only,
            western_only,
            preservative_free,
            asked_nsaids,
        )

    @staticmethod
    def _eye_reading(
        segments: list[list[_Match]],
        leftovers: list[str],
        text: str,
        eye_targets: list[str],
        periocular: bool,
    ) -> tuple[list[list[_Match]], list[str]]:
        """Round 20: an eye complaint (``eye_targets``, from ``_eye_complaint``) or the skin around the eye
        read as such: the skin and genital readings of the feeling words are dropped, the eye's (or the
        skin's dermatitis) reading goes first; the eye and feeling words are no unknown words."""
        named = {m.target for seg in segments for m in seg if not m.partial and m.kind != "fuzzy"}
        base = KIND_BASE["symptom"]

        def reading(targets: list[str]) -> list[_Match]:
            # alternatives, the first preferred: a product counts by the best of them
            return [
                _Match("symptom", t, base * (1.0 - 0.02 * i), f"symptom:{t[2:]}", t[2:], "symptom")
                for i, t in enumerate(targets)
            ]

        added: list[list[_Match]] = []
        dropped: set[str] = set(GENITAL_READINGS)
        if eye_targets:
            if EYE_SKIN_TOO.search(PERIOCULAR.sub(" ", text)) is None:
                dropped |= EYE_NOT_READ_AS - {"s:itchy_eyes", "s:red_eyes"}
            if not named & NAMED_EYE_DIAGNOSES:
                # a named eye diagnosis (dry eyes, conjunctivitis) keeps its reading and its signs
                dropped |= {"s:itchy_eyes", "s:red_eyes"}
                added.append(reading(eye_targets))
        if periocular:
            dropped |= (
                EYE_NOT_READ_AS if not eye_targets else EYE_NOT_READ_AS - {"s:itchy_eyes", "s:red_eyes"}
            )
            if not named & (NAMED_SKIN_DIAGNOSES - GENITAL_READINGS):
                added.append(reading(["s:contact_dermatitis", "s:eczema"]))
        # loose symptom guesses (a part of a key: 나요 of 열나요) give way to the reading added, as they do to
        # the round-19 fungal one; otherwise those of the eye and skin readings go
        loose = EYE_NOT_READ_AS | NAMED_EYE_DIAGNOSES
        kept = [
            seg
            for seg in segments
            if not all(
                m.target in dropped
                # round 21: a swelling said of the eye is the eye's, not a bruise (a black eye says so)
                or (bool(eye_targets) and m.target == "s:bruises" and m.key in SWELLING_ONLY_KEYS)
                or (
                    (m.partial or m.kind == "fuzzy")
                    and (m.target in loose or (bool(added) and m.target.startswith("s:")))
                )
                for m in seg
            )
        ]
        leftovers = [
            w
            for w in leftovers
            if not (
                EYE_WORD.search(w)
                or EYE_ITCHY.search(w)
                or EYE_RED.search(w)
                or EYE_SWOLLEN.search(w)
                or PERIOCULAR_SKIN.search(w)
                or any(b in w for b in BELOW_WORDS)
            )
        ]
        return [*added, *kept], leftovers

    def _not_carried(
        self, text: str, segments: list[list[_Match]], leftovers: list[str], families: list[str]
    ) -> bool:
        """Whether the query asks for something the catalog does not cover, so the answer is nothing.

        That is so when no key is named whole (every match is a part of a longer key: "contact" of
        "contact dermatitis", "knee" of "knee pain", "water" of "sea water nasal spray"), a word of the
        query is unknown to the catalog (no name, brand, ingredient or vocabulary word; a typo fixed into
        a part of a longer key counts as unknown: "breast" as "breath"), and either no product name was
        reached at all (only parts of symptom, class or ingredient terms, or a dosage form), or more words
        are unknown than found ("hearing aid batteries"), or the parts reached do not meet in one product
        of the asked form ("hot water bottle": the sea-water spray and the irrigation bottle; "contact lens
        solution": a thermometer and creams). A sentence about how one feels ("my lower back is killing
        me") is left to the ranking as before."""
        if any(not m.partial for segment in segments for m in segment):
            return False
        words = set(text.split())
        unknown = self._unknown_words(text, leftovers)
        if words & EN_SENTENCE or not unknown:
            return False
        # a part reached through a typo fix is no evidence ("protein" fixed to "protect" of Aspirin Protect);
        # one reached through the start of a word being typed is ("lianh" of "lianhua qingwen")
        raw = {f for word in words if _is_latin_key(word) for f in (word, *_singular_forms(word))}
        typed = tuple(w for w in raw if len(w) >= 4)

        # round 22: a dosage form beside an unknown name (红霉素软膏) is no evidence through the names
        # holding the form word (氧化锌软膏)
        # (or typed apart from it, when the unknown name is another ingredient's: 红霉素 软膏)
        other = any(self._names_other_ingredient(w) for w in unknown)
        form_pieces = [
            w for w in leftovers if (w in ZH_FORM_WORDS or w in KO_FORM_TERMS) and (other or w not in words)
        ]

        def honest(match: _Match) -> bool:
            if not _is_latin_key(match.key):
                return not (match.partial and any(f in match.key for f in form_pieces))
            return any(w in raw or (typed and w.startswith(typed)) for w in match.key.split())

        evidence = [kept for segment in segments if (kept := [m for m in segment if honest(m)])]
        named = any(m.target.startswith("p:") for segment in evidence for m in segment)
        if len(unknown) > len(evidence) or not named:
            # more of the query unknown than found ("hearing aid batteries"), or no product name reached
            return True
        reached: set[str] | None = None
        for segment in evidence:
            pids = {pid for m in segment for pid in self._expand(m.target)}
            reached = pids if reached is None else reached & pids
        asked = {f for family in families for f in (family, *CLOSE_FORMS.get(family, ()))}
        forms = frozenset().union(*(FORM_FAMILIES.get(f, frozenset()) for f in asked))
        form_words = {_singular(w) for w in words if w in EN_FORM_WORDS and w not in EN_FORM_QUALIFIERS}
        if reached and (forms or form_words):
            # "contact lens solution": what "contact" reached (a thermometer, creams) is no solution
            reached = {
                pid
                for pid in reached
                if self._products[pid].dosage_form in forms
                or any(w in self._products[pid].dosage_form for w in form_words)
            }
        return not reached

    def _not_sold(self, text: str, kinds: list[str] | None = None) -> tuple[list[str], str]:
        """The words of a normalised query that name a kind of product the catalog does not sell
        (``not_sold.yaml``: "adult diapers", 防晒霜, 선크림), and the query without them.

        Read before any typo fix, so a known word of such a kind is never corrected into a product
        name (선크림 is two jamo from 신트림). A term is no such kind when the query holds a longer key
        of the catalog around it ("diaper rash", 기저귀 발진) or when a product is named with it (a
        product of that kind, added later, is searched as usual). A latin term matches whole words,
        plurals folded; a Korean term of two syllables only at the start of a word (예약을, but not 린스
        in 클린스); a Chinese one anywhere."""
        named: list[str] = []
        words = text.split()
        folded = [_singular(w) for w in words]
        dropped: set[int] = set()
        for i, word in enumerate(folded):
            for terms, kind in self._not_sold_latin.get(word, ()):
                span = range(i, i + len(terms))
                if tuple(folded[i : i + len(terms)]) != terms or dropped.intersection(span):
                    continue
                if self._carried_term(" ".join(terms), folded):
                    continue
                around = self._key_around(" ".join(terms), folded)
                if around is not None:
                    # "rash from new diapers": the words of "diaper rash" split around the term read
                    # as that key, in its place
                    rest = set(around.split()) - set(terms)
                    words = [around if j == i else w for j, w in enumerate(words) if folded[j] not in rest]
                    return self._not_sold(" ".join(words), kinds)
                named.append(" ".join(words[i : i + len(terms)]))
                if kinds is not None:
                    kinds.append(kind)
                dropped.update(span)
        if dropped:
            text = " ".join(w for i, w in enumerate(words) if i not in dropped)
        if any(not c.isascii() for c in text):
            for term, kind in self._not_sold_local:
                at = text.find(term)
                if at < 0:
                    continue
                if len(term) < 3 and is_hangul(term[0]) and at > 0 and text[at - 1] != " ":
                    continue
                if not self._carried_term(term, text.split()):
                    named.append(term)
                    if kinds is not None:
                        kinds.append(kind)
                    text = " ".join(text.replace(term, " ").split())
        return named, text

    def _carried_term(self, term: str, words: list[str]) -> bool:
        """Whether a term of a kind not sold is part of a longer key the query holds ("diaper rash"), or
        of a product's name or brand. ``words`` are the query's words (latin: singular)."""
        if _is_latin_key(term):
            first = term.split()[0]
            pool = {first, first + "s", first[:-1] + "ies" if first.endswith("y") else first}
            candidates = [k for w in pool for k in self._word_keys.get(w, ())]
            folded_query = f" {' '.join(words)} "
            for key in candidates:
                folded = f" {_fold_plural(key)} "
                if f" {term} " not in folded:
                    continue
                if folded in folded_query or any(e.target.startswith("p:") for e in self._exact.get(key, ())):
                    return True
            return False
        rarest = min(term.replace(" ", ""), key=lambda c: len(self._key_chars.get(c, ())))
        text = " ".join(words)
        glued = text.replace(" ", "")
        for key in self._key_chars.get(rarest, ()):
            bare = key.replace(" ", "")
            if term not in key and term not in bare:
                continue
            if key in text or bare in glued:
                return True
            if any(e.target.startswith("p:") for e in self._exact.get(key, ())):
                return True
        return False

    def _key_around(self, term: str, words: list[str]) -> str | None:
        """A symptom or class key holding a latin term of a kind not sold whose other words the query
        holds elsewhere ("rash" ... "diapers": "diaper rash"). ``words`` are the query's words, singular."""
        first = term.split()[0]
        have = set(words)
        for key in sorted(self._word_keys.get(first, ())):
            folded = _fold_plural(key).split()
            if len(folded) < 2 or not set(folded) <= have or f" {term} " not in f" {' '.join(folded)} ":
                continue
            if any(e.target.startswith(("s:", "c:")) for e in self._exact.get(key, ())):
                return key
        return None

    def _names_carried(self, text: str, *, symptoms: bool) -> bool:
        """Whether a query names whole something the catalog carries: a product, brand, ingredient or
        class word, or, with ``symptoms``, a symptom. A symptom beside a kind not sold is most often what
        that kind is for (독감 of 독감 예방접종, "flu" of "flu shot"): it counts only when the query says
        it followed the thing ("fever after vaccine", 接种疫苗后发烧, 백신 맞고 열) or names it after
        the thing without a word of purpose ("contact lens eye red", 戴隐形眼镜眼睛红; not "ear plugs for
        sleeping"). A brand alone beside such a kind is the maker of that kind ("durex lube", 杜蕾斯润滑液,
        "nivea sunscreen"), not a second thing asked for, unless the query joins them ("sunscreen and
        tylenol")."""
        if not text:
            return False
        kinds = ("p:", "i:", "c:", "s:") if symptoms else ("p:", "i:", "c:")
        segments, _ = self._segments(text)
        whole = [
            m
            for seg in segments
            for m in seg
            if not m.partial
            and m.target[:2] in kinds
            # pinyin initials of two or three letters ("gp" for 钙片) are a guess, not a thing named whole
            and not (m.kind == "pinyin" and len(m.key) <= PINYIN_GUESS_MAX_CHARS)
        ]
        if whole and all(m.source == "brand" or m.kind == "brand" for m in whole):
            words = set(text.split())
            return bool(words & JOINING_WORDS) or any(w in text for w in JOINING_LOCAL)
        return bool(whole)

    def _complaint_after(self, text: str, term: str) -> bool:
        """Whether a symptom is named after a kind not sold, with no word of purpose in the query: a
        complaint the thing brought ("contact lens eye red"), not what it is for ("ear plugs for sleeping",
        "독감 예방접종": the symptom comes first)."""
        at = text.find(term)
        if at < 0 or PURPOSE.search(text):
            return False
        after = text[at + len(term) :].strip()
        # round 26: a word naming the kind of thing ("biotin supplements", 비오틴 영양제) is no complaint
        after = " ".join(w for w in after.split() if w not in SUPPLEMENT_KIND_WORDS)
        return bool(after) and self._names_carried(after, symptoms=True)

    def _unknown_words(self, text: str, leftovers: list[str]) -> list[str]:
        """The words of a query no key holds: latin words that are no indexed word, and the Chinese or
        Korean pieces nothing matched, leaving out stop words, dosage forms, who the medicine is for, a
        Korean predicate or a single syllable ("돼요", "안"), and a piece with a form word whose first two
        characters are in some product name (润喉 of 润喉含片)."""
        unknown = []
        for word in text.split():
            if not _is_latin_key(word) or len(word) < 3 or not word.isalpha():
                continue
            if word in EN_STOP or word in EN_FORM_WORDS or word in CHILD_WORDS or word in PERSON_WORDS:
                continue
            forms = (word, *_singular_forms(word), word + "s")
            if any(w in self._words for w in forms) or any(spelling_key(w) in self._spelled for w in forms):
                continue
            unknown.append(word)
        for piece in leftovers:
            if _is_latin_key(piece) or len(piece) < 2 or piece in ZH_STOP or piece in KO_STOP:
                continue
            if piece in ZH_FORM_WORDS or piece in KO_FORM_TERMS:
                continue
            if any(w in piece for w in (*CHILD_WORDS_LOCAL, *PERSON_WORDS_LOCAL)):
                continue
            if all(is_hangul(c) for c in piece) and korean_predicate_forms(piece):
                continue
            if query_forms(piece) and self._in_some_name(piece[:2]):
                continue
            unknown.append(piece)
        return unknown

    def _negated(self, text: str) -> tuple[frozenset[str], frozenset[str], str]:
        """Ingredients and dosage forms the query asks to be without, and the query without those phrases."""
        excluded: set[str] = set()
        excluded_forms: set[str] = set()
        if NOT_SWALLOWED.search(text):
            # round 18: "something i don't have to swallow": nothing by mouth (a topical answers)
            excluded_forms |= FORM_FAMILIES["oral"]
            text = NOT_SWALLOWED.sub(" ", text)
        if CANT_SWALLOW.search(text):
            # round 18: a tablet dissolved in water or melting on the tongue, asked for beside it ("can't
            # swallow tablets, one that dissolves in water"), is not swallowed whole: it stays
            asked = set(query_forms(text)) & {"effervescent", "orodispersible"}
            unswallowed = frozenset().union(*(FORM_FAMILIES[f] for f in asked))
            excluded_forms |= (FORM_FAMILIES["tablets"] - unswallowed) | FORM_FAMILIES["capsules"]
            text = CANT_SWALLOW.sub(" ", text)
        for pattern in NEGATED:
            for match in list(pattern.finditer(text)):
                named = match.group(1).strip()
                named = NEGATED_SAME.get(named, named)
                inns: set[str] = set()
                span = match.group(0)
                first = named.split()[0]
                for candidate in dict.fromkeys((named, named.replace(" ", ""), first)):
                    if candidate == first and candidate != named:
                        span = span[: span.index(named)] + first
                    for m in self._lookup(candidate):
                        kind, _, value = m.target.partition(":")
                        if kind == "i":
                            inns.add(value)
                        elif kind == "c":
                            inns.update(self._classes.get(value, ()))
                    if inns:
                        break
                if inns:
                    excluded |= inns
                    text = text.replace(span, " ")
                    continue
                forms = named_dosage_forms(named)
                if not forms and ZH_ORAL_VERB.search(named):
                    # 不想吃药, 不要口服的: nothing taken by mouth
                    forms = FORM_FAMILIES["oral"]
                if forms:
                    excluded_forms |= forms
                    # "바르는 무좀약 말고": the form is ruled out, the complaint beside it stays
                    # a form word that names what it is for leaves that use ("파스 말고": a pain plaster
                    # ruled out, the muscle pain kept)
                    kept = (
                        [FORM_USES.get(w, w) for w in named.split() if not query_forms(w) or w in FORM_USES]
                        if " " in named
                        else []
                    )
                    text = text.replace(match.group(0), " " + " ".join(kept) + " ")
        return frozenset(excluded), frozenset(excluded_forms), " ".join(text.split())

    def _taking(self, text: str) -> tuple[frozenset[str], str]:
        """The ingredients of medicines the query says the person already takes ("on warfarin", 在吃华法林,
        와파린 먹고 있는데), and the query without them when the rest names a complaint (else unchanged,
        with no ingredient: "on warfarin" alone may be a search for it)."""
        spans: list[str] = []
        inns: set[str] = set()

        # round 20: pinyin initials this short name no medicine taken ("on bp meds" is no borneol, 冰片)
        def named(phrase: str) -> set[str]:
            return self._ingredients_named(phrase, initials=False)

        for cue in TAKING_BEFORE.finditer(text):
            after = text[cue.end() :]
            if cue.group(0)[0].isascii():
                words = after.split()[:3]
                options = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
            else:
                head = after.split(" ", 1)[0]
                options = [head[:n] for n in range(min(len(head), 8), 1, -1)]
            hit = _first_named(options, named)
            if hit is not None:
                inns |= hit[1]
                spans.append(cue.group(0) + hit[0])
        for cue in TAKING_AFTER.finditer(text):
            before = text[: cue.start()].split()
            if before:
                word = before[-1]
                found = named(word) or named(_without_particle(word))
                if found:
                    inns |= found
                    spans.append(text[text.rfind(word, 0, cue.start()) : cue.end()])
        if not spans:
            return frozenset(), text
        # round 20: beside an anticoagulant, an NSAID asked about ("on warfarin, can i take ibuprofen") is a
        # question the anticoagulant answers
        bleeding = bool(inns & self._anticoagulants())
        remainder = self._without_context(text, spans, self._names_nsaid if bleeding else None)
        if remainder is None:
            return frozenset(), text
        return frozenset(inns), remainder

    def _ingredients_named(
        self,
        phrase: str,
        *,
        brands: bool = True,
        classes: Mapping[str, set[str]] | None = None,
        initials: bool = True,
    ) -> set[str]:
        """The ingredients a phrase names: an ingredient, a product by its name or brand (unless
        ``brands`` is off), or one of ``classes`` (a class key to its ingredients); short pinyin initials
        (``bp`` for 冰片) only with ``initials``."""
        found: set[str] = set()
        for m in self._lookup(phrase):
            if not initials and m.kind == "pinyin" and len(m.key) <= PINYIN_GUESS_MAX_CHARS:
                continue
            kind, _, value = m.target.partition(":")
            if kind == "i":
                found.add(value)
            elif kind == "c" and classes and value in classes:
                found.update(classes[value])
            elif brands and kind == "p" and m.source in ("name", "brand"):
                found.update(self._products[value].ingredient_names)
        return found

    def _without_context(
        self, text: str, spans: list[str], also: Callable[[_Match], bool] | None = None
    ) -> str | None:
        """The query without the phrases said as context (a medicine taken, an allergy), when what is
        left still names a complaint or a kind of medicine; None when it does not (the phrase was then
        the search itself: "on warfarin" alone may be a search for warfarin)."""
        remainder = text
        for span in spans:
            remainder = remainder.replace(span, " ")
        remainder = " ".join(remainder.split())
        segments, leftovers = self._segments(remainder)
        if not segments:
            # round 20: as the search itself does, the words found inside longer keys ("pulled a muscle in my
            # back": muscle pain, back pain)
            segments = self._latin_partials(leftovers)
        if not any(
            m.target.startswith(("s:", "c:")) or (also is not None and also(m))
            for seg in segments
            for m in seg
        ):
            return None
        return remainder

    def _allergies(self, text: str) -> tuple[frozenset[str], str]:
        """The ingredients the query says the person is allergic to ("allergic to aspirin", 对阿司匹林过敏,
        아스피린 알레르기), the whole NSAID class for aspirin or an NSAID, and the query without the allergy
        when the rest names a complaint or a kind of medicine (else unchanged, with none)."""
        nsaids = set(self._classes.get("nsaid", ()))

        def named(phrase: str, *, brands: bool = True) -> set[str]:
            phrase = phrase.strip()
            group = ALLERGY_CLASSES.get(phrase)
            if group == "nsaid":
                return set(nsaids)
            if group == "sulfonamide":
                return {
                    i.name
                    for p in self._products.values()
                    for i in p.ingredients
                    if i.name.startswith(("sulfa", "sulpha", "silver sulfa"))
                }
            if group is not None:
                return {
                    i.name
                    for p in self._products.values()
                    if (p.atc or "").startswith(group)
                    for i in p.ingredients
                }
            return self._ingredients_named(phrase, brands=brands, classes={"nsaid": nsaids})

        spans: list[str] = []
        inns: set[str] = set()
        for cue in ALLERGY_BEFORE.finditer(text):
            words = text[cue.end() :].split()[:2]
            hit = _first_named([" ".join(words[:n]) for n in range(len(words), 0, -1)], named)
            if hit is not None:
                inns |= hit[1]
                spans.append(cue.group(0) + hit[0])
        for cue in ALLERGY_AFTER.finditer(text):
            before = text[: cue.start()].rstrip()
            head = before.rsplit(" ", 1)[-1]
            if head.isascii():
                words = before.split()[-2:]
                options = [" ".join(words[-n:]) for n in range(len(words), 0, -1)]
            else:
                options = [head[-n:] for n in range(min(len(head), 8), 1, -1)]
            for phrase in options:
                # a brand before "allergy" is a product line ("Benadryl Allergy", "Claritin allergy"), not
                # the person's allergy: only an ingredient or a class is
                found = named(phrase, brands=False) or named(phrase.removeprefix("对"), brands=False)
                if found:
                    inns |= found
                    start = before.rfind(phrase)
                    lead = "对" if before[start - 1 : start] == "对" else ""
                    spans.append(lead + text[start : cue.end()])
                    break
        if not spans:
            return frozenset(), text
        if inns & nsaids:
            inns |= nsaids
        remainder = self._without_context(text, spans)
        if remainder is None:
            return frozenset(), text
        return frozenset(inns), remainder

    def _sore_part(self, match: re.Match[str]) -> str:
        """ "knee is really sore" as "sore knee" when the vocabulary names that pain; else unchanged."""
        part = match.group(1)
        for phrase in (f"sore {part}", f"{part} pain", f"{_singular(part)} pain"):
            if any(e.target.startswith("s:") for e in self._exact.get(phrase, ())):
                return phrase
        return match.group(0)

    def _unglued(self, word: str) -> str:
        """A known word typed glued to a strength (``tylenol500``, ``advil200mg``) split from it, when the
        whole is no known word."""
        match = GLUED_STRENGTH.fullmatch(word)
        if match is None or word in self._words or match.group(1) not in self._words:
            return word
        return f"{match.group(1)} {match.group(2)}"

    def _antihypertensives(self, groups: tuple[str, ...] = ANTIHYPERTENSIVE_ATC) -> frozenset[str]:
        """The ingredients of the catalog's antihypertensives (ATC C02, C03, C07, C08, C09), or of those of
        the ATC ``groups`` given."""
        return frozenset(
            i.name for p in self._products.values() if (p.atc or "").startswith(groups) for i in p.ingredients
        )

    def _anticoagulants(self) -> frozenset[str]:
        """The ingredients of the catalog's anticoagulants and antiplatelets (ATC B01A)."""
        return frozenset(
            i.name for p in self._products.values() if (p.atc or "").startswith("B01A") for i in p.ingredients
        )

    def _herb_for_other_purpose(self, segments: list[list[_Match]], leftovers: list[str]) -> bool:
        """Whether the query names only herbs each held by no product but multi-herb formulas (of
        ``FORMULA_HERB_MIN`` ingredients or more), beside words of a purpose that search could not read (not a
        form, not filler): what the herb is wanted for is no complaint those formulas are indicated for; or
        (round 26) beside a form word only, none of the herbs a piece of those formulas' names."""
        if not segments or not leftovers:
            return False
        names: list[str] = []
        herbs: list[str] = []
        for segment in segments:
            if len(segment) != 1 or segment[0].partial or not segment[0].target.startswith("i:"):
                return False
            herbs.append(segment[0].key.casefold().replace(" ", ""))
            holders = self._by_ingredient.get(segment[0].target[2:], ())
            if not holders or any(
                self._products[pid].category != "tcm"
                or len(self._products[pid].ingredients) < FORMULA_HERB_MIN
                for pid in holders
            ):
                return False
            for pid in holders:
                product = self._products[pid]
                names += [
                    n.casefold().replace(" ", "") for n in (product.name_en, product.name_zh, product.name_ko)
                ]
        forms = [w for w in leftovers if w in ZH_FORM_WORDS or w in EN_FORM_WORDS or w in KO_FORM_TERMS]
        if forms and len(forms) == len(leftovers):
            # round 26: the herb with a form only ("红景天胶囊", "rhodiola capsules", 홍경천 캡슐) asks for
            # that herb made up alone, which the catalog does not carry: nothing, unless the herb's word
            # is a piece of a formula's name (藿香胶囊: 藿香正气软胶囊)
            return not any(h in n for h in herbs for n in names)
        # a leftover that is a piece of a formula's name ("藿香zhengqi") names the formula, not a purpose
        return any(
            not any(w.replace(" ", "") in n for n in names)
            and w not in ZH_FORM_WORDS
            and w not in EN_FORM_WORDS
            and w not in KO_FORM_TERMS
            and w not in EN_STOP
            and w not in ZH_STOP
            and w not in KO_STOP
            and not w.isdigit()
            and len(w) >= (3 if w.isascii() else 2)
            for w in leftovers
        )

    def _saline_nose(self) -> list[_Match]:
        """The saline sprays and rinses for the nose, scored as a complaint's answer."""
        return [
            _Match("symptom", f"p:{pid}", KIND_BASE["symptom"], "saline:nose", "saline", "symptom")
            for pid, product in sorted(self._products.items())
            if _is_saline_nose(product)
        ]

    def _flu_without_fever_words(self, segments: list[list[_Match]]) -> bool:
        """The flu is named whole and no fever or pain is (its fever and aches are then the flu's)."""
        return any(m.target == "s:flu" and not m.partial for seg in segments for m in seg) and not any(
            self._treats(m, FEVER_PAIN_TARGETS) and not m.partial for seg in segments for m in seg
        )

    def _treats(self, match: _Match, targets: frozenset[str]) -> bool:
        """Whether a match names one of the complaints ``targets``, or a kind of medicine treating one."""
        if match.target in targets:
            return True
        if not match.target.startswith("c:"):
            return False
        return any(
            f"s:{symptom}" in targets
            for pid in self._expand(match.target)
            for symptom in self._products[pid].indications[:3]
        )

    def _at(self, slot: SupportsIndex) -> Product:
        """The product in a slot of the ranking arrays."""
        return self._products[self._slot_pid[slot]]

    def _is_antibiotic(self, inn: str) -> bool:
        """Whether a product holding the ingredient (alone or with others) is a systemic antibacterial
        (ATC J01): looked up through the ingredient's products, not a scan of the catalog."""
        return any(
            (self._products[pid].atc or "").startswith("J01") for pid in self._by_ingredient.get(inn, ())
        )

    def _asks_antidiarrhoeal(self, match: _Match) -> bool:
        """Whether a match is diarrhoea, or a word for the medicines that stop it (止泻药, 지사제)."""
        if match.target in ANTIDIARRHOEAL_TARGETS:
            return True
        return match.target.startswith("c:") and "loperamide" in self._classes.get(match.target[2:], ())

    def _names_nsaid(self, match: _Match) -> bool:
        """Whether a match names NSAIDs only: an NSAID ingredient, a product holding only NSAIDs by its name
        or brand, or a class word whose ingredients are all NSAIDs."""
        if match.partial:
            return False
        return bool(self._nsaids_of(match))

    def _nsaids_of(self, match: _Match) -> frozenset[str]:
        """The NSAIDs a match names (see ``_names_nsaid``); empty when it names anything else too."""
        nsaids = set(self._classes.get("nsaid", ()))
        kind, _, value = match.target.partition(":")
        if kind == "i":
            held = {value}
        elif kind == "p" and match.source in ("name", "brand") and value in self._products:
            held = set(self._products[value].ingredient_names)
        elif kind == "c":
            held = set(self._classes.get(value, ()))
        else:
            return frozenset()
        return frozenset(held) if held and held <= nsaids else frozenset()

    def _conditions(self, text: str, taken: frozenset[str]) -> tuple[frozenset[str], str]:
        """What the person's conditions rule out (AVOID_NSAID, AVOID_DECONGESTANT), and the query without
        the words of a condition when the rest names a complaint it constrains."""
        avoid: set[str] = set()
        if taken and taken & self._anticoagulants():
            avoid.update((AVOID_NSAID, AVOID_BLEEDING))
        if taken and taken & self._antihypertensives():
            avoid.add(AVOID_DECONGESTANT)
        if taken and taken & self._antihypertensives(RAAS_DIURETIC_ATC):
            avoid.add(AVOID_NSAID)
        if taken and taken & SEROTONERGIC:
            avoid.update((AVOID_DXM, AVOID_NSAID))
        if "clopidogrel" in taken or CLOPIDOGREL_WORDS.search(text) is not None:
            avoid.add(AVOID_CYP2C19_PPI)
        # round 16: conditions that only rule something out when a complaint they bear on is named, and
        # leave their words (an age, a stomach complaint) in the query
        kept: tuple[tuple[re.Pattern[str], frozenset[str], tuple[str, ...]], ...] = (
            (TEEN_WORDS, FEVER_PAIN_TARGETS | COLD_TARGETS, (AVOID_ASPIRIN, PARACETAMOL_FIRST)),
            (STOMACH_COMPLAINT_WORDS, PAIN_TARGETS, (AVOID_NSAID,)),
            # round 31: gout beside a pain or a fever: aspirin by mouth last, its flare or another pain alike
            # (BNF "Aspirin": avoid in gout, low doses raise the serum urate; NICE CKS "Gout": aspirin is
            # not for a flare); from memory
            (GOUT_WORDS, FEVER_PAIN_TARGETS, (AVOID_ASPIRIN,)),
        )
        for cue, bears_on, rules_kept in kept:
            if cue.search(text) is None:
                continue
            segments, _ = self._segments(" ".join(cue.sub(" ", text).split()))
            if any(self._treats(m, bears_on) for seg in segments for m in seg):
                if (
                    cue is TEEN_WORDS
                    and any(m.target == "s:period_pain" and not m.partial for seg in segments for m in seg)
                    and not any(
                        self._treats(m, (FEVER_PAIN_TARGETS | COLD_TARGETS) - {"s:period_pain"})
                        and m.target != "s:period_pain"
                        for seg in segments
                        for m in seg
                    )
                ):
                    # round 23 leftovers: a teenager's period pain: an NSAID first, aspirin still last
                    avoid.update((AVOID_ASPIRIN, TEEN_PERIOD_NSAID))
                    continue
                avoid.update(rules_kept)
                if cue is TEEN_WORDS and any(
                    m.target == "s:flu" and not m.partial for seg in segments for m in seg
                ):
                    # round 29: a teenager's flu: the single medicines first, the combinations by mouth
                    # (some hold aspirin, most a decongestant or an antihistamine the flu does not need)
                    # after them, as beside high blood pressure (NHS "Flu": paracetamol or ibuprofen for
                    # the fever and aches; MHRA: no aspirin under 16; from memory)
                    avoid.add(COLD_COMBINATIONS_LATER)
        # An older person's sleep, and (round 18) a driver or "can't be drowsy" beside an allergy or a
        # cold: the sedating antihistamines last, and the cue words leave the query; alone ("driving
        # lessons"), nothing is ruled out.
        # round 26: an older person beside an allergy, hay fever or a cold too (AGS Beers criteria 2023:
        # avoid the first-generation antihistamines in older adults whatever they are taken for)
        for cue, bears_on in ((ELDERLY_WORDS, SLEEP_TARGETS | ALERT_TARGETS), (ALERT_WORDS, ALERT_TARGETS)):
            if cue.search(text) is None:
                continue
            remainder = " ".join(cue.sub(" ", text).split())
            segments, _ = self._segments(remainder)
            if any(self._treats(m, bears_on) for seg in segments for m in seg):
                avoid.add(AVOID_SEDATING)
                text = remainder
        if DOPING_WORDS.search(text) is not None:
            remainder = " ".join(DOPING_WORDS.sub(" ", text).split())
            segments, _ = self._segments(remainder)
            if any(m.target.startswith("s:") for seg in segments for m in seg):
                avoid.add(AVOID_DOPING)
                text = remainder
        if VALPROATE_WORDS.search(text) is not None:
            avoid.add(AVOID_ASPIRIN)
        baby_age = _asked_age(PREGNANCY_TERM.sub(" ", text))
        if baby_age is not None and baby_age < BABY_LABEL_AGE and _age_stated(PREGNANCY_TERM.sub(" ", text)):
            # after round 29: a baby under 2 (an age given) with a blocked nose: saline drops or spray first
            # (NICE CKS "Common cold": saline nose drops for a blocked nose in infants; NHS "Common cold")
            avoid.add(SALINE_FIRST)
            avoid.add(BABY_STATED)
        if GLAUCOMA_PROSTATE_WORDS.search(text) is not None:
            # round 29: glaucoma or an enlarged prostate beside a blocked nose: saline first, before the
            # sprays (the decongestant sprays' Drug Facts: ask a doctor before use with trouble urinating due
            # to an enlarged prostate gland; the sprays stay after it, round 23 leftovers)
            avoid.add(SALINE_FIRST)
            # round 31: with an enlarged prostate the decongestant sprays and drops also go after the steroid
            # sprays, as with glaucoma (GLAUCOMA_NOSE; only glaucoma's words set it: "enlarged prostate and a
            # blocked nose" listed Afrin and Otrivin 2nd to 8th; oxymetazoline and xylometazoline Drug Facts:
            # ask a doctor before use if you have trouble urinating due to an enlarged prostate gland)
            avoid.add(GLAUCOMA_NOSE)
        if GLAUCOMA_WORDS.search(text) is not None:
            # round 23: glaucoma: the vasoconstrictor eye drops last whatever else is asked ("glaucoma eye
            # drops" listed naphazoline first); beside a red or itchy eye the words leave the query
            avoid.add(AVOID_EYE_VASOCONSTRICTOR)
            # round 23 leftovers: beside a blocked nose, the decongestant sprays after saline and the steroids
            avoid.add(GLAUCOMA_NOSE)
            remainder = " ".join(GLAUCOMA_WORDS.sub(" ", text).split())
            segments, _ = self._segments(remainder)
            if any(self._treats(m, RED_EYE_TARGETS) for seg in segments for m in seg):
                text = remainder
                if any(self._treats(m, GLAUCOMA_PROSTATE_TARGETS) for seg in segments for m in seg):
                    # round 29: an allergy medicine asked (its products treat itchy eyes too): the words
                    # left the query here, so what glaucoma rules out by mouth is ruled out here
                    # (녹내장 있는데 콧물 알레르기약 listed Benadryl 4th)
                    avoid.update(GLAUCOMA_PROSTATE_RULES)
        conditions: tuple[tuple[re.Pattern[str], frozenset[str] | None, tuple[str, ...]], ...] = (
            (ASTHMA_WORDS, FEVER_PAIN_TARGETS, (NSAID_CAUTION,)),
            (ANTICOAGULANT_WORDS, FEVER_PAIN_TARGETS | BLEEDING_TARGETS, (AVOID_NSAID, AVOID_BLEEDING)),
            # round 31: a gout flare too (有胃溃疡 痛风发作了: 溃疡 was read as a mouth ulcer): colchicine
            # first (NICE CKS "Gout": colchicine when an NSAID is contraindicated; BNF "NSAIDs": peptic ulcer)
            (STOMACH_WORDS, FEVER_PAIN_TARGETS | {"s:gout", "s:gout_flare"}, (AVOID_NSAID,)),
            # round 32: and plain paracetamol first, before a salicylate patch or a balm that tie with it
            # (chronic kidney disease, what can i take for back pain: Salonpas first; NICE CKS "Chronic
            # kidney disease": avoid NSAIDs, paracetamol the analgesic of choice; BNF "Prescribing in renal
            # impairment")
            (
                KIDNEY_WORDS,
                FEVER_PAIN_TARGETS | STOMACH_ACID_TARGETS,
                (AVOID_NSAID, AVOID_ANTACID_METALS, AVOID_SODIUM, AVOID_ALL_NSAIDS, PARACETAMOL_FIRST),
            ),
            (LIVER_DISEASE_WORDS, FEVER_PAIN_TARGETS, (AVOID_NSAID,)),
            (BARIATRIC_WORDS, FEVER_PAIN_TARGETS, (AVOID_ALL_NSAIDS, PARACETAMOL_FIRST, SOLUBLE_FIRST)),
            (SURGERY_WORDS, FEVER_PAIN_TARGETS, (AVOID_NSAID, AVOID_BLEEDING, PARACETAMOL_FIRST)),
            (
                BLEEDING_DISORDER_WORDS,
                FEVER_PAIN_TARGETS | BLEEDING_TARGETS,
                (AVOID_NSAID, AVOID_BLEEDING, PARACETAMOL_FIRST),
            ),
            (LOW_SODIUM_WORDS, None, (AVOID_SODIUM,)),
            (BOOSTER_WORDS, None, (AVOID_CYP3A4_STEROID,)),
            (TAMOXIFEN_WORDS, None, (AVOID_CYP2D6,)),
            (HYPERTENSION_WORDS, COLD_TARGETS, (AVOID_DECONGESTANT, COLD_COMBINATIONS_LATER)),
            (
                HEART_FAILURE_WORDS,
                COLD_TARGETS | FEVER_PAIN_TARGETS,
                (AVOID_DECONGESTANT, COLD_COMBINATIONS_LATER, AVOID_NSAID, AVOID_SODIUM, AVOID_ALL_NSAIDS),
            ),
            (
                MAOI_WORDS,
                COLD_TARGETS | COUGH_TARGETS,
                (AVOID_DECONGESTANT, COLD_COMBINATIONS_LATER, AVOID_DXM),
            ),
            (HYPERTHYROID_WORDS, COLD_TARGETS, (AVOID_DECONGESTANT, COLD_COMBINATIONS_LATER)),
            (GLAUCOMA_PROSTATE_WORDS, GLAUCOMA_PROSTATE_TARGETS, GLAUCOMA_PROSTATE_RULES),
            (SSRI_WORDS, COLD_TARGETS | COUGH_TARGETS | FEVER_PAIN_TARGETS, (AVOID_DXM, AVOID_NSAID)),
            (NSAID_CLEARANCE_WORDS, FLU_FEVER_PAIN_TARGETS, (AVOID_NSAID,)),
            (RAAS_DIURETIC_WORDS, FLU_FEVER_PAIN_TARGETS, (AVOID_NSAID,)),
            (
                CHICKENPOX_WORDS,
                FLU_FEVER_PAIN_TARGETS | {"s:itching"},
                (AVOID_ALL_NSAIDS, AVOID_ASPIRIN, PARACETAMOL_FIRST, CHICKENPOX_ITCH),
            ),
            (EPILEPSY_WORDS, FEVER_PAIN_TARGETS | COLD_TARGETS, (AVOID_SEIZURE, PARACETAMOL_FIRST)),
            (G6PD_WORDS, None, (AVOID_HAEMOLYSIS,)),
            (ENZYME_INDUCER_WORDS, None, (AVOID_ULIPRISTAL,)),
            (QT_DRUG_WORDS, None, (AVOID_QT,)),
            (METHOTREXATE_WORDS, None, (AVOID_ANTIFOLATE,)),
            # round 30: diabetes beside a cold or a blocked nose: the sympathomimetic decongestants last, the
            # combinations after plain paracetamol and saline, as with high blood pressure (US OTC Drug Facts
            # of pseudoephedrine, phenylephrine and oxymetazoline: ask a doctor before use if you have
            # diabetes; BNF "Nasal decongestants, systemic": caution in diabetes), and the sugar-free forms
            (DIABETES_WORDS, COLD_TARGETS, (AVOID_DECONGESTANT, COLD_COMBINATIONS_LATER, AVOID_SUGAR)),
            (DIABETES_WORDS, None, (AVOID_SUGAR,)),
        )
        for words, targets, rules in conditions:
            if words.search(text) is None:
                continue
            rule = rules[0]
            remainder = _without_condition(words, text)
            segments, _ = self._segments(remainder)
            if targets is None:
                # any complaint but diabetes itself: alone, "diabetes" is a search for its medicines;
                # round 26: or a medicine named by its name or ingredient ("糖尿病人能喝板蓝根吗": of the
                # isatis granules, the sugar-free one; BNF "Sugar-free preparations")
                named = any(
                    m.target.startswith(("s:", "c:", "p:", "i:"))
                    and m.target != "s:diabetes"
                    and not m.partial
                    for seg in segments
                    for m in seg
                )
                if named:
                    avoid.add(rule)
                    text = remainder
                continue
            # round 20: an NSAID named ("can i take ibuprofen") is the pain it would treat for the conditions
            # that rule the NSAIDs out
            nsaid_rule = bool({AVOID_NSAID, NSAID_CAUTION} & set(rules))
            if any(
                self._treats(m, targets) or (nsaid_rule and self._names_nsaid(m))
                for seg in segments
                for m in seg
            ):
                avoid.update(rules)
                text = remainder
            elif words is SURGERY_WORDS:
                # alone ("surgery next week") an operation rules nothing out
                continue
            elif AVOID_BLEEDING not in rules:
                avoid.update(rules)
            else:
                # alone ("warfarin", "blood thinner") the words are a search for those medicines
                avoid.add(AVOID_NSAID)
        return frozenset(avoid), text

    def _ruled_out_kinds(self, segments: list[list[_Match]]) -> None:
        """A kind of medicine the person's condition rules out ("decongestant" with high blood pressure) is
        read as the complaint it treats (a blocked nose): the complaint its products list first most often
        takes the segment's place, so what else treats it answers."""
        for segment in segments:
            classes = [m for m in segment if m.target.startswith("c:")]
            if not classes or len(classes) != len(segment):
                continue
            inns = {inn for m in classes for inn in self._classes.get(m.target[2:], ())}
            if not inns or not inns <= DECONGESTANTS:
                continue
            firsts: dict[str, int] = defaultdict(int)
            for m in classes:
                for pid in self._expand(m.target):
                    indications = self._products[pid].indications
                    if indications:
                        firsts[indications[0]] += 1
            if firsts:
                symptom = min(firsts, key=lambda key: (-firsts[key], key))
                score = KIND_BASE["symptom"]
                segment[:] = [
                    _Match("symptom", f"s:{symptom}", score, f"symptom:{symptom}", symptom, "symptom")
                ]

    def _holds_decongestant(self, slots: np.ndarray) -> np.ndarray:
        """1.0 for each product holding a sympathomimetic decongestant (not an eye drop), else 0.0."""
        out = np.zeros(slots.size)
        for i, slot in enumerate(slots):
            product = self._at(slot)
            if DECONGESTANTS & set(product.ingredient_names) and "eye" not in product.dosage_form:
                out[i] = 1.0
        return out

    def _holds_systemic(self, slots: np.ndarray, inns: set[str], seizure: bool) -> np.ndarray:
        """1.0 for each product taken by mouth or rectally holding one of ``inns`` (or, for ``seizure``,
        amantadine or a sedating antihistamine beside another ingredient), else 0.0."""
        topical = {
            f
            for family, forms in FORM_FAMILIES.items()
            if family not in SYSTEMIC_FAMILIES and family != "chewable"  # a chewable tablet is swallowed
            for f in forms
        }
        out = np.zeros(slots.size)
        for i, slot in enumerate(slots):
            product = self._at(slot)
            if product.dosage_form in topical:
                continue
            held = set(product.ingredient_names)
            combined = len(held) > 1 and bool(held & SEDATING_ANTIHISTAMINES)
            if held & inns or (seizure and ("amantadine" in held or combined)):
                out[i] = 1.0
        return out

    def _systemic(self, slots: np.ndarray) -> np.ndarray:
        """1.0 for each medicine taken by mouth or rectally (no device, nothing put on the skin, eye, ear or
        nose), else 0.0."""
        topical = {
            f
            for family, forms in FORM_FAMILIES.items()
            if family not in SYSTEMIC_FAMILIES and family != "chewable"
            for f in forms
        }
        return np.asarray(
            [(form := self._at(slot).dosage_form) not in topical and form != "device" for slot in slots],
            dtype=np.float64,
        )

    def _plain_paracetamol(self, slots: np.ndarray) -> np.ndarray:
        """1.0 for each product whose only ingredient is paracetamol, else 0.0."""
        return np.asarray(
            [self._at(slot).ingredient_names == ("paracetamol",) for slot in slots],
            dtype=np.float64,
        )

    @staticmethod
    def _preservative_free(product: Product) -> bool:
        """A product in single-dose packs or named preservative-free."""
        text = f"{product.name_en} {product.name_zh} {product.name_ko} {product.pack}".casefold()
        return any(w in text for w in PRESERVATIVE_FREE_NAMES)

    @staticmethod
    def _release_fits(product: Product, *, long_acting: bool) -> bool:
        """A modified-release product (long-acting asked), or a liquid-filled capsule or one named for speed
        (fast-acting asked)."""
        if long_acting:
            return product.dosage_form in MODIFIED_RELEASE_FORMS
        if product.dosage_form in MODIFIED_RELEASE_FORMS:
            return False
        text = f"{product.name_en} {product.name_zh}".casefold()
        return product.dosage_form in FAST_FORMS or any(w in text for w in FAST_NAMES)

    @staticmethod
    def _sugar_free(product: Product) -> bool:
        """A product named sugar-free."""
        text = f"{product.name_en} {product.name_zh} {product.name_ko}".casefold()
        return any(w in text for w in SUGAR_FREE_NAMES)

    @staticmethod
    def _is_herbal(product: Product) -> bool:
        """A herbal formula: a Chinese patent medicine with no dosed chemical ingredient."""
        return product.category == "tcm" and all(i.strength is None for i in product.ingredients)

    def _hard_on_stomach(self, slots: np.ndarray) -> np.ndarray:
        """1.0 for each product holding an NSAID or aspirin it is taken by mouth or rectally, else 0.0."""
        harmful = set(self._classes.get("nsaid", ())) - STOMACH_SPARING
        topical = {
            f for family, forms in FORM_FAMILIES.items() if family not in SYSTEMIC_FAMILIES for f in forms
        }
        out = np.zeros(slots.size)
        for i, slot in enumerate(slots):
            product = self._at(slot)
            if harmful & set(product.ingredient_names) and product.dosage_form not in topical:
                out[i] = 1.0
        return out

    def _initials_segments(self, initials: str) -> list[list[_Match]]:
        """What a query of Korean initial consonants names: each Korean key they spell, read as that key at
        the pinyin score (as ``blf`` reads 布洛芬); failing that, from three initials, the keys they begin
        (as ``lhq`` begins ``lhqw``), scored as partial by the share typed; failing that, the same with
        double consonants made plain (ㅅ typed for ㅆ)."""
        if len(initials) < INITIALS_MIN_CHARS:
            return []
        for typed, quality in ((initials, 1.0), (plain_initials(initials), PLAIN_INITIALS_QUALITY)):
            plain = quality < 1.0
            spelled = [k for k in self._initials if (plain_initials(k) if plain else k).startswith(typed)]
            whole = [k for k in spelled if len(k) == len(typed)]
            if not whole and len(typed) < INITIALS_PREFIX_MIN_CHARS:
                continue
            matches: list[_Match] = []
            for spelling in sorted(whole or spelled, key=lambda k: (len(k), k))[:PARTIAL_MAX_KEYS]:
                share = 1.0 if whole else PARTIAL_FACTOR * (0.5 + 0.5 * len(typed) / len(spelling))
                for key in self._initials[spelling]:
                    matches.extend(
                        self._lookup(key, quality=quality * share, kind="pinyin", partial=not whole)
                    )
            if matches:
                return [matches]
        return []

    def _completions(self, words: list[str]) -> list[list[_Match]]:
        """A very short query that matched nothing ("ib", "感", "84"), completed to the known key it
        most likely begins: the latin word in most keys, else the key reaching the most products."""
        segments: list[list[_Match]] = []
        for word in words:
            if not word or len(word) > COMPLETION_MAX_CHARS or (len(word) < 2 and _is_latin_key(word)):
                continue
            best: str | None = None
            if word.isascii() and word.isalpha():
                options = [w for w in self._words if w.startswith(word) and len(w) > len(word)]
                if options:
                    best = min(options, key=lambda w: (-self._words[w], len(w), w))
                    if not self._exact.get(best):
                        keys = sorted(self._word_keys.get(best, ()), key=lambda k: (len(k), k))
                        best = keys[0] if keys else None
            else:
                pool = (
                    self._key_chars.get(word[0], ())
                    if not word.isascii()
                    else [k for k in self._exact if k.startswith(word)]
                )
                options = [k for k in pool if k.startswith(word) and len(word) < len(k) <= len(word) + 4]
                if options:
                    best = min(
                        options,
                        key=lambda k: (
                            -sum(len(self._expand(e.target)) for e in self._exact.get(k, ())),
                            len(k),
                            k,
                        ),
                    )
            if best:
                quality = PARTIAL_FACTOR * (0.5 + 0.5 * len(word) / len(best.replace(" ", "")))
                matches = self._lookup(best, quality=quality, partial=True)
                if matches:
                    segments.append(matches)
        return segments

    def _ingredient_words(self, words: list[str]) -> list[list[_Match]]:
        """A leftover latin word that is a word of an ingredient's name ("calcium" of "calcium
        carbonate"): that ingredient, as a partial match, so "calcium with vitamin d" puts the
        products holding both first."""
        segments: list[list[_Match]] = []
        for word in words:
            if len(word) < 4 or not _is_latin_key(word) or word in EN_FORM_WORDS or word in EN_STOP:
                continue
            keys = [
                k
                for k in self._word_keys.get(word, ())
                if k != word and any(e.target.startswith("i:") for e in self._exact.get(k, ()))
            ]
            if not keys or len(keys) > 8:
                continue
            matches: list[_Match] = []
            for key in sorted(keys):
                quality = PARTIAL_FACTOR * (0.5 + 0.5 * len(word) / len(key.replace(" ", "")))
                matches.extend(
                    m for m in self._lookup(key, quality=quality, partial=True) if m.target.startswith("i:")
                )
            if matches:
                segments.append(matches)
        return segments

    def _latin_partials(self, words: list[str]) -> list[list[_Match]]:
        """When nothing matched whole, latin keys containing a query word (``lianhua`` in its name)."""
        segments = []
        for word in words:
            if not _is_latin_key(word):
                # a dosage form alone (滴眼液, 糖浆): the products whose name holds it
                local = self._partial(word) if len(word) >= 2 else []
                if local:
                    segments.append(local)
                continue
            keys = self._word_keys.get(word, ())
            # a dosage form or a word in many names ("tablets", "500") says nothing on its own
            if (
                len(word) < 3
                or not _is_latin_key(word)
                or word in EN_FORM_WORDS
                or len(keys) > PARTIAL_MAX_KEYS
            ):
                continue
            matches: list[_Match] = []
            for key in sorted(keys):
                ratio = len(word) / len(key.replace(" ", ""))
                matches.extend(self._lookup(key, quality=PARTIAL_FACTOR * (0.5 + 0.5 * ratio), partial=True))
            if matches:
                segments.append(matches)
        return segments

    def not_sold_terms(self, query: str) -> list[str]:
        """The words of ``query`` that name a kind of product the pharmacies do not sell ("sunscreen",
        기저귀), normalised; empty when it names none (or the query is not text or too long)."""
        if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
            return []
        normalized = join_spaced_characters(
            to_simplified(strip_pinyin_tones(normalize(query)), self._key_chars)
        )
        return self._not_sold(normalized)[0]

    def did_you_mean(self, query: str) -> str | None:
        """A corrected spelling of a latin query whose words are unknown, or None."""
        if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
            return None
        if self._not_sold(normalize(query))[0]:
            return None  # "sunscren" is not to be read as a product name either
        words = normalize(query).split()
        corrected = []
        changed = False
        for word in words:
            if word in self._words or word in EN_STOP or not word.isascii() or not word.isalpha():
                corrected.append(word)
                continue
            fix = self._correct(word)
            if fix is None:
                corrected.append(word)
            else:
                corrected.append(fix[0])
                changed = True
        return " ".join(corrected) if changed else None

    def _segments(self, text: str) -> tuple[list[list[_Match]], list[str]]:
        """Cut a normalised query into matched segments and the leftover tokens."""
        if not text:
            return [], []
        whole = (
            self._lookup(text)
            or self._lookup(text.replace(" ", ""), pinyin_only=True)
            or self._mixed_pinyin(text)
        )
        if whole and (" " not in text or any(not m.target.startswith("p:") for m in whole)):
            # "plan b" is a symptom term and the start of the brand "Plan B One-Step": both count
            if all(m.target.startswith("s:") for m in whole):
                whole += self._name_prefixes(text)
            return [whole], []
        segments: list[list[_Match]] = []
        leftovers: list[str] = []
        runs = script_runs(text)
        skip = 0
        runs = self._glued_mixed(runs, segments)
        for position, run in enumerate(runs):
            if skip:
                skip -= 1
                continue
            if run.script == "hangul":
                # Korean keys may hold a space ("알레르기 비염", "열이 나요"): try the next words too
                joined = self._hangul_phrase(runs, position)
                if joined is not None:
                    matches, skip = joined
                    segments.append(matches)
                    continue
            if run.script == "latin" and whole:
                for word in run.text.split():
                    self._latin_segments(word, segments, leftovers)
            elif run.script == "latin":
                self._latin_segments(run.text, segments, leftovers)
            elif run.script == "cjk":
                self._cjk_segments(run.text, segments, leftovers)
            else:
                self._hangul_segments(run.text, segments, leftovers)
        if whole:
            # a full product name wins, its parts ("ibuprofen" of "ibuprofen tablets") still list the rest
            for segment in segments:
                for match in segment:
                    match.score *= BACKOFF_FACTOR
            return [whole, *segments], []
        return segments, leftovers

    def _glued_mixed(self, runs: list[Run], segments: list[list[_Match]]) -> list[Run]:
        """Round 24: a key written in two scripts (维C, 维生素C, 비타민C): the end of a Chinese or Korean run
        and the short latin word after it, looked up together; a match is added to ``segments`` and its
        pieces leave the runs."""
        out: list[Run] = []
        i = 0
        while i < len(runs):
            run = runs[i]
            after = runs[i + 1] if i + 1 < len(runs) else None
            if run.script != "latin" and after is not None and after.script == "latin":
                letters, _, tail = after.text.partition(" ")
                found: list[_Match] = []
                cut = 0
                if len(letters) <= MIXED_LATIN_MAX_CHARS:
                    for cut in range(max(0, len(run.text) - MIXED_HEAD_MAX_CHARS), len(run.text)):
                        found = self._lookup(run.text[cut:] + letters)
                        if found:
                            break
                if found:
                    segments.append(found)
                    if run.text[:cut].strip():
                        out.append(Run(run.script, run.text[:cut].strip()))
                    if tail.strip():
                        out.append(Run("latin", tail.strip()))
                    i += 2
                    continue
            out.append(run)
            i += 1
        return out

    def _mixed_pinyin(self, text: str) -> list[_Match]:
        """A query mixing characters and pinyin (``buluo芬``, ``banlan根``, ``蒙tuo石散``) read as pinyin."""
        if not has_cjk(text) or not any("a" <= c <= "z" for c in text):
            return []
        spelled = "".join(
            pinyin_forms(run.text)[0] if run.script == "cjk" else run.text for run in script_runs(text)
        ).replace(" ", "")
        if not spelled.isascii():
            return []
        return self._lookup(spelled, pinyin_only=True)

    def _name_prefixes(self, text: str) -> list[_Match]:
        """Product names and brands that begin with the whole latin query, as partial matches."""
        words = text.split()
        if not words or not _is_latin_key(text) or len(text) < 3:
            return []
        pools = [self._word_keys.get(word, []) for word in words]
        if any(len(pool) > PARTIAL_MAX_KEYS * 4 for pool in pools):
            return []
        matches: list[_Match] = []
        for key in sorted(set(pools[0]).intersection(*pools[1:])):
            if key != text and key.startswith(text + " "):
                quality = PARTIAL_FACTOR * (0.5 + 0.5 * len(text) / len(key))
                matches.extend(
                    m for m in self._lookup(key, quality=quality, partial=True) if m.target.startswith("p:")
                )
        return matches

    def _add_families(self, segment: list[_Match]) -> None:
        """Add to a segment the other products of each brand it matched: a product whose name or brand
        holds the brand as a word (latin), or begins a word with it (Chinese, Korean; anywhere for
        three characters or more), at a little less than the brand itself."""
        reached = {m.target for m in segment}
        extra: list[_Match] = []
        for match in segment:
            if match.source != "brand" or not match.key:
                continue
            for key, target in self._family(match.key):
                if target in reached:
                    continue
                # one match per product, of the brand match's kind: the brand's own product stays first
                reached.add(target)
                label = f"{match.kind}:{match.key}→{key}"
                extra.append(_Match(match.kind, target, match.score * FAMILY_FACTOR, label, key, "family"))
        segment.extend(extra)

    def _add_substitutes(self, segment: list[_Match], families: list[str]) -> None:
        """A brand asked for in a form its line lacks ("nurofen gel", "voltaren tablets", 지르텍 안약): add to
        the segment, at the brand's score, the products of that form with the same formula as one of the
        line's products (the ibuprofen gel), so the form word puts them before the line's other forms.
        With no such product, a line that has another oral form answers an oral request as it is
        ("nyquil liquid": the NyQuil capsules); otherwise the products of that form treating what the
        line treats are added (antihistamine eye drops for "zyrtec eye drops")."""
        line = {
            m.target[2:]: m.score
            for m in segment
            if m.target.startswith("p:")
            and m.source in ("brand", "family")
            and m.target[2:] in self._products
        }
        if not line:
            return
        label = next(m.key for m in segment if m.target[2:] in line)
        wanted = frozenset().union(*(FORM_FAMILIES.get(f, frozenset()) for f in families))
        if not wanted:
            return
        products = [self._products[pid] for pid in line]
        if any(p.dosage_form in wanted for p in products):
            return  # the line has it: nothing changes
        score = max(self._product_value(segment, pid) for pid in line)
        formulas = {frozenset(p.ingredient_names) for p in products if p.ingredients}
        in_form = sorted(
            {self._slot_pid[slot] for family in families for slot in self._posting(f"f:{family}")[0]}
        )
        same = [pid for pid in in_form if frozenset(self._products[pid].ingredient_names) in formulas]
        if same:
            segment.extend(
                _Match("brand", f"p:{pid}", score, f"brand:{label}→{pid}", label, "substitute")
                for pid in same
            )
            return
        oral = {f for f in families if f in ORAL_FAMILIES}
        if (
            oral
            and oral == set(families)
            and any(any(p.dosage_form in FORM_FAMILIES[f] for f in ORAL_FAMILIES) for p in products)
        ):
            return
        treats = {s for p in products for s in p.indications}
        for pid in in_form:
            p = self._products[pid]
            if pid not in line and treats.intersection(p.indications):
                share = len(treats.intersection(p.indications)) / len(p.indications)
                segment.append(
                    _Match(
                        "brand",
                        f"p:{pid}",
                        score * (SUBSTITUTE_FACTOR + 0.05 * share),
                        f"brand:{label}→{pid}",
                        label,
                        "substitute",
                    )
                )

    @staticmethod
    def _product_value(segment: list[_Match], pid: str) -> float:
        """What a segment's product matches give one product in ``_rank``: the best kind, plus a tenth of
        the second (a product matched as a name and as a brand)."""
        by_kind: dict[str, float] = {}
        for m in segment:
            if m.target == f"p:{pid}":
                by_kind[m.kind] = max(by_kind.get(m.kind, 0.0), m.score)
        best = sorted(by_kind.values(), reverse=True)
        return best[0] + SECOND_KIND_WEIGHT * best[1] if len(best) > 1 else best[0] if best else 0.0

    def _variant_keys(self, segment: list[_Match]) -> set[str]:
        """The words a segment may appear as in product names: its keys, and for a symptom whose keys no
        name holds, its terms in every language ("콜드" is 감기 in 주야 복합 감기정)."""
        keys = {m.key for m in segment if m.key}
        if any(self._in_some_name(k) for k in keys):
            return keys
        for m in segment:
            if m.target.startswith("s:"):
                terms = self.vocab.symptoms.get(m.target[2:], {})
                keys.update(_key(t) for lang_terms in terms.values() for t in lang_terms if len(t) > 1)
        keys.discard("")
        return keys

    def _in_some_name(self, key: str) -> bool:
        """Whether any product's names hold a key (its words for latin, the key itself for zh and ko)."""
        if _is_latin_key(key):
            tokens = self._ensure_arrays().tokens
            return all(w in tokens for w in key.split())
        compact = key.replace(" ", "")
        grams = bigrams(compact)
        if not grams:
            return False
        pools = [self._key_bigrams.get(gram, []) for gram in grams]
        return any(
            compact in k.replace(" ", "") and any(e.kind in ("name", "brand") for e in self._exact.get(k, ()))
            for k in set(pools[0]).intersection(*pools[1:])
        )

    def _named_with(self, pid: str, key: str) -> bool:
        """Whether a product's names hold a query key: its words (latin) or the key itself (zh, ko)."""
        if _is_latin_key(key):
            tokens = self._product_tokens.get(pid, frozenset())
            return all(w in tokens or spelling_key(w) in tokens for w in key.split())
        product = self._products[pid]
        stem = key[:-1] if len(key) > 2 and key[-1] in ("药", "약") else key
        return any(stem in name.replace(" ", "") for name in (product.name_zh, product.name_ko))

    def _line_variants(self, segments: list[list[_Match]], leftovers: list[str], query: str) -> None:
        """A brand beside a word none of its line's names hold ("panadol cold and flu", "omron nebulizer",
        타이레놀 감기약): the query names a line member the catalog lacks, so the products with the line's
        formula (a device brand: the devices) named with that word are added to the brand's segment at the
        brand's score, and the line's own products fall a little below them."""
        brand_segments = [
            seg
            for seg in segments
            if any(m.source in ("brand", "family") and m.target.startswith("p:") for m in seg)
        ]
        if len(brand_segments) != 1 or any(
            m.key in (query, query.replace(" ", "")) for seg in segments for m in seg
        ):
            return
        segment = brand_segments[0]
        line = {
            m.target[2:]
            for m in segment
            if m.source in ("brand", "family")
            and m.target.startswith("p:")
            and m.target[2:] in self._products
        }
        variants = [
            self._variant_keys(seg)
            for seg in segments
            if seg is not segment and not all(m.target.startswith("f:") for m in seg)
        ]
        variants += [
            {w}
            for w in leftovers
            if _is_latin_key(w) and w not in EN_STOP and w not in EN_FORM_WORDS and len(w) > 2
        ]
        missing = [v for v in variants if v and not any(self._named_with(pid, k) for pid in line for k in v)]
        if not line or not missing:
            return
        products = [self._products[pid] for pid in line]
        formulas = [frozenset(p.ingredient_names) for p in products if p.ingredients]
        if formulas:
            pool: set[str] = set()
            for formula in formulas:
                pool.update(self._by_ingredient.get(min(formula), ()))
        elif all(p.rx_class == "device" for p in products):
            arrays = self._ensure_arrays()
            pool = {self._slot_pid[slot] for slot in np.flatnonzero(arrays.device & arrays.alive)}
        else:
            return
        score = max(self._product_value(segment, pid) for pid in line)
        label = next(m.key for m in segment if m.target[2:] in line)
        added = []
        for pid in sorted(pool - line):
            product = self._products[pid]
            if formulas and not any(f <= set(product.ingredient_names) for f in formulas):
                continue
            named = sum(1 for v in missing if any(self._named_with(pid, k) for k in v))
            if named:
                share = named / len(missing)
                added.append(
                    _Match(
                        "brand",
                        f"p:{pid}",
                        score * (LINE_LACKS_FACTOR + 0.005 + 0.025 * share),
                        f"brand:{label}→{pid}",
                        label,
                        "substitute",
                    )
                )
        if not added:
            return
        for m in segment:
            if m.target[2:] in line:
                m.score *= LINE_LACKS_FACTOR
        segment.extend(added)

    def _family(self, brand: str) -> list[tuple[str, str]]:
        """The (key, product target) pairs of the product line a brand key names (cached)."""
        cached = self._families.get(brand)
        if cached is not None:
            return cached
        found: list[tuple[str, str]] = []
        if _is_latin_key(brand):
            words = brand.split()
            pools = [self._word_keys.get(word, []) for word in words]
            if words and all(len(pool) <= PARTIAL_MAX_KEYS * 4 for pool in pools):
                needle = f" {brand} "
                keys = sorted(k for k in set(pools[0]).intersection(*pools[1:]) if needle in f" {k} ")
            else:
                keys = []
        else:
            grams = bigrams(brand.replace(" ", ""))
            pools = [self._key_bigrams.get(gram, []) for gram in grams]
            common = set(pools[0]).intersection(*pools[1:]) if pools else set()
            keys = sorted(
                k
                for k in common
                if any(w.startswith(brand) for w in k.split())
                or (len(brand) >= 3 and brand in k.replace(" ", ""))
            )
        for key in keys:
            if key == brand:
                continue
            for entry in self._exact.get(key, ()):
                if entry.target.startswith("p:") and entry.kind in ("name", "brand"):
                    found.append((key, entry.target))
        self._families[brand] = found
        return found

    def _hangul_phrase(self, runs: list[Run], start: int) -> tuple[list[_Match], int] | None:
        """The longest key made of this Korean word and the next one or two, with how many it used; the
        words as typed, else without their particles and with the last one's predicate in the forms a
        vocabulary lists ("눈이 가려워요" is the key "눈 가려움", "발목을 삐었어요" is "발목 삠")."""
        for extra in (2, 1):
            words = runs[start : start + extra + 1]
            if len(words) == extra + 1 and all(r.script == "hangul" for r in words):
                matches = self._lookup(" ".join(r.text for r in words)) or self._lookup(
                    "".join(r.text for r in words)
                )
                if matches:
                    return matches, extra
                heads = [_without_particle(r.text) for r in words[:-1]]
                last = words[-1].text
                for form in (_without_particle(last), *korean_predicate_forms(last)):
                    matches = self._lookup(" ".join((*heads, form)))
                    if matches:
                        return matches, extra
        return None

    def _lookup(
        self,
        key: str,
        *,
        quality: float = 1.0,
        kind: str | None = None,
        pinyin_only: bool = False,
        partial: bool = False,
    ) -> list[_Match]:
        entries = self._exact.get(key)
        if not entries:
            return []
        matches = []
        for entry in entries:
            if pinyin_only and entry.kind != "pinyin":
                continue
            entry_kind = kind or entry.kind
            base = KIND_BASE[entry_kind]
            if entry.target.startswith("s:"):
                base = min(base, KIND_BASE["symptom"])
            elif entry.target.startswith("c:"):
                base = min(base, KIND_BASE["class"])
            label = entry.surface if entry.surface == key else f"{key}→{entry.surface}"
            matches.append(
                _Match(
                    entry_kind,
                    entry.target,
                    base * quality,
                    f"{entry_kind}:{label}",
                    key,
                    entry.kind,
                    partial,
                )
            )
        return matches

    # latin ----------------------------------------------------------------------------------------

    def _correct(self, word: str) -> tuple[str, int] | None:
        """The closest indexed word within a small edit distance, or a completion of a prefix."""
        if len(word) < 4 or word.isdigit():
            return None
        if len(word) <= 5 and not any(c in "aeiouy" for c in word):
            # round 19: a short word without a vowel is chat shorthand ("smth", "thnx"), not a misspelt name
            return None
        limit = 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3
        counts: dict[str, int] = defaultdict(int)
        for gram in trigrams(word):
            for candidate in self._word_trigrams.get(gram, ()):
                counts[candidate] += 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:60]
        best: tuple[int, int, str] | None = None
        folded = spelling_key(word)  # "ibuprophin" is one edit from "ibuprofen" once ph reads f
        for candidate, _ in ranked:
            distance = bounded_distance(word, candidate, limit)
            if distance > 0 and candidate.endswith("s"):
                # "condon" is one edit from the singular of "condoms" (and two from "concor")
                distance = min(distance, bounded_distance(word, _singular(candidate), limit))
            if distance > limit and folded != word:
                distance = bounded_distance(folded, spelling_key(candidate), limit)
            if distance > 1 and candidate[0] != word[0]:
                # two slips and another first letter is another word ("killing" is not "cooling")
                continue
            if distance <= limit:
                option = (distance, -self._words[candidate], candidate)
                if best is None or option < best:
                    best = option
        if best is None:
            # spelt as said: "amoksisilin" (amoxicillin), "parasetamol", "setirizin"
            sound = phonetic_key(word)
            for candidate, _ in ranked:
                heard = phonetic_key(candidate)
                if heard[:2] != sound[:2] or abs(len(heard) - len(sound)) > limit:
                    # a word spelt by ear keeps its first sounds and about its length ("killing" is
                    # no "cooling")
                    continue
                distance = max(1, bounded_distance(sound, heard, limit))
                if distance <= limit:
                    option = (distance, -self._words[candidate], candidate)
                    if best is None or option < best:
                        best = option
        if best is not None:
            return best[2], best[0]
        completions = sorted(
            (w for w, _ in ranked if w.startswith(word) and len(w) > len(word)), key=lambda w: (len(w), w)
        )
        if completions:
            return completions[0], 1
        if len(word) >= PREFIX_SLIP_MIN_CHARS:
            # a long word with a slip that begins a longer one (pinyin typed with a letter missing:
            # "huoxianzhengqi" for the start of "huoxiangzhengqi...")
            lengths = (len(word) - 1, len(word), len(word) + 1)
            slipped = sorted(
                (len(w), w)
                for w, _ in ranked
                if w[0] == word[0]
                and len(w) >= len(word) + 2
                and min(bounded_distance(word, w[:n], 1) for n in lengths) <= 1
            )
            if slipped:
                return slipped[0][1], 2
        return None

    def _latin_segments(self, text: str, segments: list[list[_Match]], leftovers: list[str]) -> None:
        words = self._split_joined(text.split())
        fixed: list[str] = []
        cost: list[int] = []
        splits: dict[int, list[list[_Match]]] = {}
        for word in words:
            if word in self._words or word in EN_STOP or not word.isalpha():
                fixed.append(word)
                cost.append(0)
                continue
            forms = (*_singular_forms(word), word + "s", word + "es")
            singular = next((w for w in forms if w in self._words), None)
            if singular is None:
                # the other side of the Atlantic: "sanitiser" for "sanitizer", "diarrhea" for "diarrhoea"
                singular = next(
                    (self._spelled[k] for w in (word, *forms) if (k := spelling_key(w)) in self._spelled),
                    None,
                )
            if singular is not None:
                fixed.append(singular)
                cost.append(0)
                continue
            split = self._pinyin_split(word)
            if split:
                splits[len(fixed)] = split
                fixed.append(word)
                cost.append(0)
                continue
            correction = self._correct(word)
            if correction is None:
                fixed.append(word)
                cost.append(0)
            else:
                fixed.append(correction[0])
                cost.append(correction[1])
        i = 0
        while i < len(fixed):
            if i in splits:
                segments.extend(splits[i])
                i += 1
                continue
            found: list[_Match] = []
            span = 0
            for n in range(min(4, len(fixed) - i), 0, -1):
                phrase_words = fixed[i : i + n]
                if n == 1 and phrase_words[0] in EN_STOP:
                    continue
                edits = sum(cost[i : i + n])
                chars = sum(len(w) for w in phrase_words)
                quality = max(0.4, 1.0 - edits / max(chars, 1) * 2) if edits else 1.0
                kind = "fuzzy" if edits else None
                found = self._lookup(" ".join(phrase_words), quality=quality, kind=kind)
                if not found and n > 1:
                    # written as one word: "back ache" for "backache", "bu luo fen" for the pinyin key
                    found = self._lookup("".join(phrase_words), quality=quality, kind=kind)
                if not found:
                    # "cold sore" for the key "cold sores", "headaches" for "headache"
                    for key in sorted(self._folded.get(_fold_plural(" ".join(phrase_words)), ())):
                        found.extend(self._lookup(key, quality=quality, kind=kind))
                if found:
                    span = n
                    break
            if found:
                segments.append(found)
                i += span
            else:
                if fixed[i] not in EN_STOP:
                    leftovers.append(fixed[i])
                i += 1
        segments.extend(self._split_keys(fixed, segments))

    def _split_joined(self, words: list[str]) -> list[str]:
        """Round 24: one word typed as two (``thermo meter``, ``anti histamine``) when one of the two is no
        indexed word and both together are, before any typo correction reads the unknown half as another
        word ("thermo" as "there")."""
        out: list[str] = []
        i = 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words):
                after = words[i + 1]
                joined = word + after
                unknown = any(w not in self._words and w not in EN_STOP for w in (word, after))
                if (
                    unknown
                    and word.isalpha()
                    and after.isalpha()
                    and len(joined) >= SPLIT_WORD_MIN_CHARS
                    and joined in self._words
                ):
                    out.append(joined)
                    i += 2
                    continue
            out.append(word)
            i += 1
        return out

    def _split_keys(self, words: list[str], segments: list[list[_Match]]) -> list[list[_Match]]:
        """Two-word symptom keys whose words the query holds in order with a word or two between
        ("covid home test kit", "covid rapid test": "covid test"), not already matched."""
        found: list[list[_Match]] = []
        matched = {m.key for segment in segments for m in segment}
        for i, word in enumerate(words):
            if word in EN_STOP or not word.isalpha():
                continue
            for j in range(i + 2, min(i + 4, len(words))):
                key = f"{word} {words[j]}"
                if key in matched:
                    continue
                symptoms = [m for m in self._lookup(key) if m.target.startswith("s:")]
                if symptoms:
                    found.append(symptoms)
                    matched.add(key)
        return found

    def _pinyin_split(self, word: str) -> list[list[_Match]] | None:
        """Pinyin typed as one word: a pinyin key plus filler (``tuishaoyao``) or plus another key."""
        if len(word) < 6 or not word.isascii():
            return None
        for cut in range(len(word) - 2, 3, -1):
            head = self._lookup(word[:cut], pinyin_only=True)
            if not head:
                continue
            tail = word[cut:]
            if tail in PINYIN_FILLER:
                return [head]
            rest = self._lookup(tail, pinyin_only=True) if len(tail) >= 4 else []
            if rest:
                return [head, rest]
        return None

    # chinese --------------------------------------------------------------------------------------

    def _contained_keys(self, text: str) -> list[tuple[int, str]]:
        """Indexed CJK/Hangul keys (two or more characters) occurring inside ``text``, with positions."""
        candidates: set[str] = set()
        for gram in bigrams(text):
            candidates.update(self._key_bigrams.get(gram, ()))
        found = []
        for key in candidates:
            if len(key) >= 2 and " " not in key:
                start = text.find(key)
                if start >= 0:
                    found.append((start, key))
        return found

    def _cover(self, text: str) -> tuple[list[str], list[str]]:
        """Longest-first, non-overlapping known keys inside ``text``, and the uncovered pieces."""
        found = sorted(self._contained_keys(text), key=lambda item: (-len(item[1]), item[0], item[1]))
        taken = [False] * len(text)
        chosen: list[tuple[int, str]] = []
        for start, key in found:
            if any(taken[start : start + len(key)]):
                continue
            for j in range(start, start + len(key)):
                taken[j] = True
            chosen.append((start, key))
        pieces: list[str] = []
        current: list[str] = []
        for char, covered in zip(text, taken, strict=True):
            if covered:
                if current:
                    pieces.append("".join(current))
                current = []
            else:
                current.append(char)
        if current:
            pieces.append("".join(current))
        return [key for _, key in sorted(chosen)], pieces

    def _partial(self, piece: str) -> list[_Match]:
        """Keys that contain ``piece`` (a partial name), else keys sharing most of its bigrams."""
        grams = bigrams(piece)
        if not grams:
            return []
        pools = [self._key_bigrams.get(gram, []) for gram in grams]
        common = set(pools[0]).intersection(*pools[1:])
        containing = sorted(
            (k for k in common if piece in k or (" " not in piece and piece in k.replace(" ", ""))),
            key=lambda k: (len(k), k),
        )
        tails = len(piece) >= TAIL_INGREDIENT_MIN_CHARS and not _is_latin_key(piece)
        if tails:
            containing = [k for k in containing if not self._ends_ingredient(piece, k)]
        matches: list[_Match] = []
        if containing:
            for key in containing[:50]:
                ratio = len(piece) / len(key)
                quality = PARTIAL_FACTOR * (0.5 + 0.5 * ratio)
                matches.extend(self._lookup(key, quality=quality, partial=True))
            return matches
        shared: dict[str, int] = defaultdict(int)
        longest = 3 * len(grams) + 1  # a longer key cannot reach a Dice of 0.5
        for pool in pools:
            for key in pool:
                if len(key) <= longest:
                    shared[key] += 1
        for key, count in sorted(shared.items()):
            dice = 2 * count / (len(grams) + max(1, len(key) - 1))
            if dice >= 0.5 and not _other_ending(piece, key):
                if tails and self._ends_ingredient(piece, key):
                    continue
                matches.extend(self._lookup(key, quality=dice, kind="fuzzy", partial=True))
        return matches

    def _cjk_segments(self, text: str, segments: list[list[_Match]], leftovers: list[str]) -> None:
        whole = self._lookup(text)
        if whole:
            segments.append(whole)
            return
        if len(text) >= 2 and any(c not in self._key_chars for c in text):
            # a character no key uses, most often a traditional form (感冒靈, 連花清瘟): the pinyin of
            # the whole run names the key as a pinyin keyboard would
            homophone = self._lookup(
                pinyin_forms(text)[0], quality=HOMOPHONE_QUALITY, kind="fuzzy", pinyin_only=True
            )
            if homophone:
                segments.append(homophone)
                return
        words = [w for w in _tokenizer().cut(text, HMM=False) if w.strip()]
        residual: list[str] = []
        found_before, left_before = len(segments), len(leftovers)

        def flush() -> None:
            if not residual:
                return
            piece = "".join(residual)
            residual.clear()
            keys, pieces = self._cover(piece)
            for key in keys:
                segments.append(self._lookup(key))
            for rest in pieces:
                rest = rest.strip()
                if len(rest) >= 2 and rest not in ZH_STOP:
                    # a homophone typed by a pinyin keyboard (布落芬 for 布洛芬), else a partial name
                    matches = self._lookup(
                        pinyin_forms(rest)[0], quality=HOMOPHONE_QUALITY, kind="fuzzy", pinyin_only=True
                    )
                    matches = matches or self._partial(rest) or self._word_homophone(rest)
                    if matches:
                        segments.append(matches)
                        continue
                    halves = self._two_partials(rest)
                    if halves:
                        segments.extend(halves)
                        continue
                if rest and rest not in ZH_STOP:
                    leftovers.append(rest)

        for word in words:
            if word in ZH_FORM_WORDS or word in CHILD_WORDS_LOCAL:
                # a dosage form, or who the medicine is for ("儿童"): a bonus in ranking, not a name to search
                flush()
                leftovers.append(word)
            elif word in self._exact:
                flush()
                segments.append(self._lookup(word))
            elif word in ZH_STOP:
                flush()
            else:
                residual.append(word)
        flush()
        unmatched = [
            w for w in leftovers[left_before:] if w not in ZH_FORM_WORDS and w not in CHILD_WORDS_LOCAL
        ]
        suffix = max(
            (f for f in ZH_FORM_WORDS if text.endswith(f) and len(text) > len(f)), key=len, default=""
        )
        core = text[: -len(suffix)] if suffix else ""
        if unmatched and len(core) >= 3:
            # a wrong character inside a name typed with its form (健胃消石片): the name without the
            # form word, matched on most of its bigrams, stands for the pieces nothing matched
            fuzzy = self._most_bigrams(core)
            if fuzzy:
                for word in unmatched:
                    leftovers.remove(word)
                segments.append(fuzzy)
        if len(segments) == found_before and len(text) >= 2:
            # nothing matched, perhaps because a homophone typo is also a stop word (吗丁林 for 吗丁啉)
            homophone = self._lookup(
                pinyin_forms(text)[0], quality=HOMOPHONE_QUALITY, kind="fuzzy", pinyin_only=True
            ) or self._word_homophone(text)
            if homophone:
                del leftovers[left_before:]
                segments.append(homophone)

    def _two_partials(self, piece: str) -> list[list[_Match]]:
        """A run of two pieces of one product's names typed together (念慈菴枇杷膏: the brand 京都念慈菴 and
        the name 蜜炼川贝枇杷膏): the first cut whose two halves, two characters or more, both reach a
        product in common."""
        if not 4 <= len(piece) <= TWO_PARTIALS_MAX_CHARS:
            return []
        for cut in range(2, len(piece) - 1):
            left, right = self._partial(piece[:cut]), self._partial(piece[cut:])
            if left and right and {m.target for m in left} & {m.target for m in right}:
                return [left, right]
        return []

    def _names_ingredient(self, key: str) -> bool:
        return any(e.kind == "ingredient" and e.target.startswith("i:") for e in self._exact.get(key, ()))

    def _family_word(self, tail: str) -> bool:
        """The end of two or more ingredients' names is their family's name (胰岛素, insulin: 门冬胰岛素,
        甘精胰岛素), searched as a part of each."""
        pools = [set(self._key_bigrams.get(gram, ())) for gram in bigrams(tail)]
        keys = set.intersection(*pools) if pools else set()
        ending = {k for k in keys if k.endswith(tail) and k != tail and self._names_ingredient(k)}
        return len({e.target for k in ending for e in self._exact.get(k, ())}) >= 2

    def _names_other_ingredient(self, piece: str) -> bool:
        """Round 22: whether ``piece`` (Chinese or Korean) reads as the name of an ingredient the catalog does
        not carry, of a family it does (红霉素 beside 罗红霉素 and 新霉素)."""
        if len(piece) < TAIL_INGREDIENT_MIN_CHARS or _is_latin_key(piece):
            return False
        keys = {k for gram in bigrams(piece) for k in self._key_bigrams.get(gram, ())}
        return any(self._ends_ingredient(piece, k) for k in keys)

    def _ends_ingredient(self, piece: str, key: str) -> bool:
        """Round 22: ``piece`` holds, in ``key``, the end of another ingredient's name without its start
        (红霉素, erythromycin, in 罗红霉素, roxithromycin; 氧氟沙星 in 左氧氟沙星), or shares with an
        ingredient key only the stem its name ends in (红霉素 and 新霉素, neomycin: -mycin): a Chinese or
        Korean name of another member of the family, not a part of this one."""
        if self._names_ingredient(key):
            shared = _shared_start(piece[::-1], key[::-1])
            head, other = piece[: len(piece) - shared], key[: len(key) - shared]
            if shared >= 2 and head and other and not set(head) & set(other):
                return True
        for size in range(len(piece), TAIL_INGREDIENT_MIN_CHARS - 1, -1):
            for begin in range(len(piece) - size + 1):
                tail = piece[begin : begin + size]
                start = key.find(tail) if not self._family_word(tail) else -1
                while start >= 0:
                    for extra in (1, 2):
                        name = key[start - extra : start + size] if start >= extra else ""
                        if name and name not in piece and self._names_ingredient(name):
                            return True
                    start = key.find(tail, start + 1)
        return False

    def _most_bigrams(self, piece: str) -> list[_Match]:
        """Keys holding all but one of the bigrams of ``piece`` (three or more), as fuzzy matches."""
        grams = list(dict.fromkeys(bigrams(piece)))
        if len(grams) < 3:
            return []
        shared: dict[str, int] = defaultdict(int)
        for gram in grams:
            for key in self._key_bigrams.get(gram, ()):
                shared[key] += 1
        need = len(grams) - 1
        keys = sorted(k for k, n in shared.items() if n >= need and len(k.replace(" ", "")) <= len(piece) + 6)
        keys = [k for k in keys if not self._ends_ingredient(piece, k)]
        matches: list[_Match] = []
        for key in keys[:20]:
            quality = shared[key] / len(grams) * PARTIAL_FACTOR
            matches.extend(self._lookup(key, quality=quality, kind="fuzzy"))
        return matches

    # korean ---------------------------------------------------------------------------------------

    def _hangul_segments(self, word: str, segments: list[list[_Match]], leftovers: list[str]) -> None:
        if word in KO_STOP:
            return
        if word in CHILD_WORDS_LOCAL or (word[:-1] in CHILD_WORDS_LOCAL and word.endswith(KO_PARTICLES)):
            # "어린이", "아이가": who the medicine is for (a bonus in ranking), not a name to search
            leftovers.append(word if word in CHILD_WORDS_LOCAL else word[:-1])
            return
        if word in CHILD_WORDS:
            # round 21: 애, 아들, 딸 whole are a child too, never the start of 애드빌 (Advil)
            leftovers.append(word)
            return
        exact = self._lookup(word)
        if exact:
            segments.append(exact)
            return
        for suffix in KO_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                stem = word[: -len(suffix)]
                exact = self._lookup(stem)
                if exact:
                    segments.append(exact)
                    return
        for form in korean_predicate_forms(word):
            # a predicate as spoken ("가려워요", "삐었어요", "체했을"): the noun or form the vocabulary lists
            exact = self._lookup(form)
            if exact:
                segments.append(exact)
                return
        keys, pieces = self._cover(word)
        if keys:
            for key in keys:
                segments.append(self._lookup(key))
            leftovers.extend(p for p in pieces if p not in KO_STOP)
            return
        if word in KO_FORM_TERMS:
            # "여드름 크림": the form (ranked by the form word), not the names holding 크림
            leftovers.append(word)
            return
        partial = self._partial(word) if len(word) >= 2 else []
        bare = _without_particle(word)
        if not partial and bare != word and len(bare) >= 2:
            # a body part with its particle ("허리가", "입술에"): keys holding it ("허리 통증", "입술 물집")
            partial = self._partial(bare)
        if partial:
            segments.append(partial)
            return
        typo = self._jamo_typo(word)
        if typo:
            segments.append(typo)
            return
        leftovers.append(word)

    def _jamo_typo(self, word: str) -> list[_Match]:
        """Hangul keys one or two jamo edits away (a mistyped consonant or vowel)."""
        jamo = hangul_jamo(word)
        limit = 1 if len(jamo) <= 6 else 2
        candidates: set[str] = set()
        for char in set(word):
            candidates.update(k for k in self._key_chars.get(char, ()) if abs(len(k) - len(word)) <= 1)
        best: list[tuple[int, str]] = []
        for key in sorted(candidates):
            if not all(is_hangul(c) for c in key):
                continue
            distance = bounded_distance(jamo, hangul_jamo(key), limit)
            if distance <= limit:
                best.append((distance, key))
        if not best:
            return []
        top = min(d for d, _ in best)
        matches: list[_Match] = []
        for distance, key in best:
            if distance == top:
                matches.extend(self._lookup(key, quality=1.0 - 0.2 * distance, kind="fuzzy"))
        return matches

    # ranking --------------------------------------------------------------------------------------

    def _expand(self, target: str) -> dict[str, float]:
        kind, _, value = target.partition(":")
        if kind == "p":
            return {value: 1.0} if value in self._products else {}
        if kind == "i":
            return {
                pid: 1.0 if len(self._products[pid].ingredients) == 1 else COMBINATION_WEIGHT
                for pid in self._by_ingredient.get(value, ())
            }
        if kind == "f":
            forms = FORM_FAMILIES.get(value, frozenset())
            return {pid: 1.0 for pid, product in self._products.items() if product.dosage_form in forms}
        if kind == "c":
            return {
                pid: 1.0 if len(self._products[pid].ingredients) == 1 else COMBINATION_WEIGHT
                for inn in self._classes.get(value, ())
                for pid in self._by_ingredient.get(inn, ())
            }
        # a product listing the symptom first (its main use) edges ahead of one listing it tenth
        return {
            pid: 1.0 + SYMPTOM_POSITION_WEIGHT / (1 + position) + self._local_fit(pid, value)
            for pid, position in self._by_symptom.get(value, {}).items()
        }

    @staticmethod
    def _route(product: Product) -> str:
        """How a product is taken, broadly: by mouth or rectally (systemic), on the skin, or elsewhere (the
        vagina, the eye, the nose...) by its dosage form."""
        if product.dosage_form.startswith(("vaginal", "oral paste")):
            return product.dosage_form
        if product.dosage_form in FORM_FAMILIES["oral"] | FORM_FAMILIES["suppository"]:
            return "systemic"
        if product.dosage_form in FORM_FAMILIES["topical"]:
            return "skin"
        return product.dosage_form

    def _is_for_children(self, product: Product) -> bool:
        """A paediatric product, going by its names."""
        tokens = self._product_tokens.get(product.id, frozenset())
        if tokens & CHILD_WORDS:
            return True
        return any(w in product.name_zh or w in product.name_ko for w in CHILD_WORDS_LOCAL)

    def _changed(self) -> None:
        """Forget the arrays and postings derived from the products (rebuilt on the next search)."""
        self._arrays = None
        self._postings.clear()
        self._families.clear()

    def _ensure_arrays(self) -> _Arrays:
        if self._arrays is None:
            size = len(self._slot_pid)
            alive = np.zeros(size, dtype=bool)
            rx = np.zeros(size, dtype=bool)
            device = np.zeros(size, dtype=bool)
            child = np.zeros(size, dtype=bool)
            adult = np.zeros(size, dtype=bool)
            min_age = np.zeros(size)
            aged = np.zeros(size, dtype=bool)
            paediatric = np.zeros(size, dtype=bool)
            pregnancy = np.zeros(size, dtype=np.int8)
            breastfeeding = np.zeros(size, dtype=np.int8)
            child_form = np.zeros(size, dtype=bool)
            oldest: dict[tuple[str, ...], float] = defaultdict(float)  # ingredients -> highest minimum age
            solid: set[tuple[str, ...]] = set()  # formulas sold as tablets or capsules
            for product in self._products.values():
                formula = tuple(sorted(product.ingredient_names))
                # by route: a child's suppository is the child's version of the adult tablets, a skin
                # cream none of a vaginal tablet of the same ingredient
                route = (*formula, self._route(product))
                oldest[route] = max(oldest[route], product.min_age_years or 0)
                if product.dosage_form.endswith(SOLID_ORAL_FORMS):
                    solid.add(formula)
            tokens: dict[str, list[int]] = defaultdict(list)
            starts: dict[str, list[int]] = defaultdict(list)
            strengths: dict[tuple[str, float], set[int]] = defaultdict(set)
            packs: dict[int, list[int]] = defaultdict(list)
            prefixes = {*ROUTE_EQUIVALENTS, *(p for group in ROUTE_EQUIVALENTS.values() for p in group)}
            atc: dict[str, list[int]] = defaultdict(list)
            for pid, product in self._products.items():
                slot = self._slot[pid]
                alive[slot] = True
                rx[slot] = product.rx_class == "rx"
                device[slot] = product.rx_class == "device"
                child[slot] = self._is_for_children(product)
                adult[slot] = (product.min_age_years or 0) >= ADULT_AGE
                min_age[slot] = product.min_age_years or 0
                aged[slot] = product.min_age_years is not None
                pregnancy[slot] = pregnancy_fit(product.pregnancy)
                breastfeeding[slot] = breastfeeding_fit(product.breastfeeding)
                paediatric[slot] = child[slot] or (
                    # a formula also sold for adults only by the same route (a syrup beside tablets, nose
                    # drops beside a spray): on the skin a lower label age says little about who it is for
                    self._route(product) != "skin"
                    and min_age[slot] < ADULT_AGE
                    and bool(product.ingredients)
                    and oldest[(*sorted(product.ingredient_names), self._route(product))] >= ADULT_AGE
                )
                child_form[slot] = (
                    product.dosage_form in LIQUID_ORAL_FORMS
                    and product.min_age_years is not None
                    and product.min_age_years < ADULT_AGE
                    and bool(product.ingredients)
                    and tuple(sorted(product.ingredient_names)) in solid
                )
                for token in self._product_tokens.get(pid, ()):
                    tokens[token].append(slot)
                for start in _name_starts(product):
                    starts[start].append(slot)
                for prefix in prefixes:
                    if (product.atc or "").startswith(prefix):
                        atc[prefix].append(slot)
                count = pack_count(product.pack)
                if count is not None:
                    packs[count].append(slot)
                for ingredient in product.ingredients:
                    have = canonical_strength(ingredient.strength, ingredient.unit)
                    if have is not None:
                        strengths[(have.unit, round(have.value, 6))].add(slot)
            pid_rank = np.empty(size, dtype=np.int64)
            pid_rank[sorted(range(size), key=self._slot_pid.__getitem__)] = np.arange(size)
            foreign = {lang: np.zeros(size, dtype=bool) for lang in LANGS}
            formulas: dict[tuple[str, ...], int] = {}
            formula_ids = np.full(size, -1, dtype=np.int64)
            reserved = np.zeros(size, dtype=bool)
            for pid, product in self._products.items():
                slot = self._slot[pid]
                reserved[slot] = (product.atc or "").startswith(RESERVED_ATC)
                marketed = {brand.lang for brand in product.brands}
                foreign["en"][slot] = marketed == {"zh"}
                # a Korean name carrying its brand in Chinese characters (아세트아미노펜 500mg 정 (必理通)):
                # a product of the Chinese market with no Korean name of its own
                foreign["ko"][slot] = marketed == {"zh"} or CJK_CHARS.search(product.name_ko) is not None
                held = tuple(sorted(product.ingredient_names))
                formula_ids[slot] = formulas.setdefault(held, len(formulas))
            self._arrays = _Arrays(
                alive,
                rx,
                device,
                child,
                adult,
                paediatric,
                child_form,
                min_age,
                aged,
                pregnancy,
                breastfeeding,
                pid_rank,
                {token: np.asarray(slots, dtype=np.int64) for token, slots in tokens.items()},
                {start: np.asarray(slots, dtype=np.int64) for start, slots in starts.items()},
                {key: np.fromiter(slots, dtype=np.int64) for key, slots in strengths.items()},
                {count: np.asarray(slots, dtype=np.int64) for count, slots in packs.items()},
                {prefix: np.asarray(slots, dtype=np.int64) for prefix, slots in atc.items()},
                foreign,
                formula_ids,
                reserved,
            )
        return self._arrays

    @staticmethod
    def _elsewhere(arrays: _Arrays, candidates: np.ndarray, rounded: np.ndarray, query: str) -> np.ndarray:
        """Round 26: for an English or a Korean query, True for each product sold under Chinese-market
        brands only (百服咛 paracetamol) that has an equal of the same ingredients from elsewhere (Tylenol,
        the generic tablets): it goes after them. The English and Korean queries listed the Chinese-market
        brands first by id, though a shopper typing English or Korean looks for the medicine under the
        names of their own market; alone in its place (999皮炎平, no other dexamethasone cream) it stays."""
        market = "ko" if any(is_hangul(c) for c in query) else "zh" if CJK_CHARS.search(query) else "en"
        flags = arrays.foreign[market][candidates]
        if not flags.any():
            return flags
        formula = arrays.formula[candidates]
        # a product's formula and score as one number, compared between the two groups
        keys = formula + 1j * rounded
        out = np.zeros(flags.size, dtype=bool)
        out[flags] = np.isin(keys[flags], keys[~flags])
        return out

    def _posting(self, target: str) -> tuple[np.ndarray, np.ndarray]:
        """The slots a target reaches and each one's weight, as arrays (cached until a change)."""
        cached = self._postings.get(target)
        if cached is None:
            expanded = self._expand(target)
            slots = np.fromiter((self._slot[pid] for pid in expanded), dtype=np.int64, count=len(expanded))
            weights = np.fromiter(expanded.values(), dtype=np.float64, count=len(expanded))
            cached = self._postings[target] = (slots, weights)
        return cached

    def _weight(self, target: str, pid: str) -> float | None:
        """The weight of one product under a target (as in ``_expand``), None when it is not reached."""
        kind, _, value = target.partition(":")
        if kind == "p":
            return 1.0 if value == pid and pid in self._products else None
        if kind == "f":
            return 1.0 if self._products[pid].dosage_form in FORM_FAMILIES.get(value, ()) else None
        if kind == "i" or kind == "c":
            inns = (value,) if kind == "i" else self._classes.get(value, ())
            if not any(pid in self._by_ingredient.get(inn, ()) for inn in inns):
                return None
            return 1.0 if len(self._products[pid].ingredients) == 1 else COMBINATION_WEIGHT
        position = self._by_symptom.get(value, {}).get(pid)
        if position is None:
            return None
        return 1.0 + SYMPTOM_POSITION_WEIGHT / (1 + position) + self._local_fit(pid, value)

    def _local_fit(self, pid: str, symptom: str) -> float:
        """A medicine applied where a symptom is (a lozenge, throat spray or gargle for a sore throat) edges
        ahead of an equal taken by mouth for many things (a herbal granule): a tie-break."""
        return LOCAL_FORM_WEIGHT if self._products[pid].dosage_form in LOCAL_FORMS.get(symptom, ()) else 0.0

    def _label(self, pid: str, segments: list[list[_Match]]) -> str:
        """What matched best for one product: the label of its best segment's best match."""
        best: tuple[float, str] | None = None
        for segment in segments:
            by_kind: dict[str, tuple[float, str]] = {}
            for match in segment:
                weight = self._weight(match.target, pid)
                if weight is None:
                    continue
                kind = "symptom" if match.target.startswith("s:") else match.kind
                score = match.score * weight
                current = by_kind.get(kind)
                if (
                    current is None
                    or score > current[0]
                    or (score == current[0] and match.label < current[1])
                ):
                    by_kind[kind] = (score, match.label)
            if not by_kind:
                continue
            options = sorted(by_kind.values(), key=lambda option: (-option[0], option[1]))
            score, label = options[0]
            if len(options) > 1:
                score += SECOND_KIND_WEIGHT * options[1][0]
            if best is None or score > best[0]:
                best = (score, label)
        return best[1] if best is not None else ""

    @staticmethod
    def _within_reach(
        candidates: np.ndarray, scores: np.ndarray, tiers: np.ndarray, limit: int, reach: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidates that ``reach`` more points could still lift into the top ``limit`` of their tier."""
        keep = np.zeros(candidates.size, dtype=bool)
        for tier in np.unique(tiers):
            members = tiers == tier
            if members.sum() <= limit:
                keep |= members
                continue
            cut = np.partition(scores[members], -limit)[-limit] - reach - 1e-9
            keep |= members & (scores >= cut)
        return candidates[keep], scores[keep], tiers[keep]

    @staticmethod
    def _route_lift(arrays: _Arrays, totals: np.ndarray, slots: np.ndarray) -> None:
        """Give the products of a form (``slots``) that are the local-use kind of a medicine the query
        found (``ROUTE_EQUIVALENTS``) the score of the best such medicine."""
        in_form = np.zeros(totals.size, dtype=bool)
        in_form[slots] = True
        for group, local in ROUTE_EQUIVALENTS.items():
            found = arrays.atc.get(group)
            if found is None or not found.size:
                continue
            best = float(totals[found].max())
            if best <= 0:
                continue
            for prefix in local:
                same_kind = arrays.atc.get(prefix)
                if same_kind is not None:
                    lifted = same_kind[in_form[same_kind]]
                    totals[lifted] = np.maximum(totals[lifted], best)

    def _name_starts_with(self, pid: str, query: str) -> bool:
        """Whether one of the product's names begins with the (normalised) query."""
        product = self._products[pid]
        return any(
            name.casefold().startswith(query) for name in (product.name_en, product.name_zh, product.name_ko)
        )

    def _named_for_local(self, pid: str, pairs: set[str], devices_only: bool) -> float:
        """Up to NAMED_FOR_BONUS for the share of a Chinese or Korean symptom query's character pairs
        found in a medicine's names, two at least (a device only when the best the query reaches are
        devices)."""
        product = self._products[pid]
        if product.rx_class == "device" and not devices_only:
            return 0.0
        names = (product.name_zh + product.name_ko).replace(" ", "")
        found = sum(1 for pair in pairs if pair in names)
        # one pair is often a coincidence of a brand (嗓子 of 金嗓子 for 嗓子疼)
        return NAMED_FOR_BONUS * found / len(pairs) if found >= 2 else 0.0

    def _local_bonus(self, pid: str, local_hints: list[str]) -> float:
        """Points for Chinese or Korean query words found in the product's names."""
        product = self._products[pid]
        return TOKEN_BONUS * sum(
            1
            for t in local_hints
            # round 21: a Korean child word said whole (애, 딸) counts only whole, not as the start of 애드빌
            if (
                t in product.name_ko.split()
                if t in CHILD_WORDS
                else t in product.name_zh or t in product.name_ko
            )
        )

    def _rank(
        self,
        segments: list[list[_Match]],
        leftovers: list[str],
        strengths: list[Strength],
        limit: int,
        wants_child_product: bool = False,
        query: str = "",
        age: float | None = None,
        packs: list[int] | None = None,
        excluded: frozenset[str] = frozenset(),
        pregnant: bool = False,
        excluded_forms: frozenset[str] = frozenset(),
        breastfeeding: bool = False,
        avoid: frozenset[str] = frozenset(),
        herbal_only: bool = False,
        western_only: bool = False,
        preservative_free: bool = False,
        asked_nsaids: frozenset[str] = frozenset(),
    ) -> list[SearchHit]:
        """Score every product reached by the segments with arrays, then order the few that can win."""
        arrays = self._ensure_arrays()
        size = len(self._slot_pid)
        totals = np.zeros(size)
        form_segments = [seg for seg in segments if all(m.target.startswith("f:") for m in seg)]
        segments = [seg for seg in segments if seg not in form_segments]
        only_symptoms = bool(segments) or bool(form_segments)
        for segment in segments:
            # per kind, each product's best match; the best kind counts, a second kind adds a little
            by_kind: dict[str, np.ndarray] = {}
            for match in segment:
                is_symptom = match.target.startswith("s:")
                # a class word asks for a kind of medicine, as a symptom does: OTC first (a form
                # word says only how it is taken)
                if not is_symptom and not match.target.startswith(("c:", "f:")):
                    only_symptoms = False
                slots, weights = self._posting(match.target)
                if not slots.size:
                    continue
                kind = "symptom" if is_symptom else "class" if match.target.startswith("c:") else match.kind
                best = by_kind.get(kind)
                if best is None:
                    best = by_kind[kind] = np.zeros(size)
                best[slots] = np.maximum(best[slots], match.score * weights)
            if len(by_kind) == 1:
                totals += next(iter(by_kind.values()))
            elif by_kind:
                stacked = np.sort(np.vstack(list(by_kind.values())), axis=0)
                totals += stacked[-1] + SECOND_KIND_WEIGHT * stacked[-2]
        in_form = np.zeros(size, dtype=bool)
        if form_segments:
            # a form word ranks within what the rest of the query finds; alone, it lists that form
            reached = totals > 0 if segments else np.ones(size, dtype=bool)
            for segment in form_segments:
                for match in segment:
                    slots, weights = self._posting(match.target)
                    keep = reached[slots]
                    if segments and slots.size and not keep.any():
                        asked = match.target[2:]
                        close = [self._posting(f"f:{family}")[0] for family in CLOSE_FORMS.get(asked, ())]
                        near = np.concatenate(close) if close else slots[:0]
                        if near.size and reached[near].any():
                            # nothing found has that form, but a close one ("acne cream": the gels)
                            slots, weights = near, np.ones(near.size)
                            keep = reached[slots]
                        else:
                            # nothing found has that form: the same kind of medicine for that route
                            self._route_lift(arrays, totals, slots)
                            keep = totals[slots] > 0
                    totals[slots[keep]] += match.score * weights[keep]
                    in_form[slots[keep]] = True
                    for family in SOLID_ORAL_NEIGHBOURS.get(match.target[2:], ()):
                        # "cold and flu tablets": the capsules of the same kind stay in the asked tier, after
                        # the tablets of equal meaning (no form points)
                        near = self._posting(f"f:{family}")[0]
                        in_form[near[reached[near]]] = True
        for inn in excluded:
            # "without pseudoephedrine": no product holding it, however well it matched
            totals[[self._slot[pid] for pid in self._by_ingredient.get(inn, ()) if pid in self._slot]] = 0.0
        if excluded_forms:
            # "paracetamol not effervescent": the other forms, unless that form is all there is
            reached = np.flatnonzero(totals > 0)
            ruled = [s for s in reached if self._products[self._slot_pid[s]].dosage_form in excluded_forms]
            if ruled and len(ruled) < reached.size:
                totals[ruled] = 0.0
        candidates = np.flatnonzero((totals > 0) & arrays.alive)
        if not candidates.size:
            return []
        scores = totals[candidates]
        if WANTS_LIQUID in avoid:
            # round 28: "can't swallow tablets" asks for a medicine in another form: the liquids by mouth
            # (and a tablet dissolved, when asked) before the devices and what is put on the skin that the
            # complaint also finds ("12 yr old can't swallow tablets fever": the cooling sheets came first)
            liquid = [self._at(slot).dosage_form in LIQUID_ORAL_FORMS for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(liquid, dtype=np.float64)
        if wants_child_product:
            # a syrup or drops of a formula also sold as tablets is the form for a child ("claritin for
            # kids": the syrup), even when both are labelled from the same age
            child = arrays.paediatric[candidates] | arrays.child_form[candidates]
            # too old for the child: 12 and older, or older than the age the query gives ("2 year old")
            adult = arrays.adult[candidates] if age is None else arrays.min_age[candidates] > age
            if age is not None:
                # an age given: a label that states no age does not say it fits that child
                child = child & arrays.aged[candidates]
            # a child's product labelled for older children still goes before an adult one
            older_child = adult & child & ~arrays.adult[candidates]
            scores = scores + np.where(
                older_child,
                -CHILD_BONUS / 2,
                np.where(adult, -CHILD_BONUS, np.where(child, CHILD_BONUS, 0.0)),
            )
        else:
            scores = scores - PAEDIATRIC_PENALTY * arrays.paediatric[candidates]
        if pregnant:
            # "when pregnant", "孕妇", "임산부": what the label allows first, what it rules out last
            fit = arrays.pregnancy[candidates]
            scores = scores + np.where(fit > 0, PREGNANCY_BONUS, np.where(fit < 0, -CHILD_BONUS, 0.0))
            # round 33: the usual choices a note names before the rest of its kind (USUAL_CHOICES)
            usual = []
            for slot in candidates:
                product = self._at(slot)
                usual.append(bool(pregnancy_choices(product.pregnancy) & set(product.ingredient_names)))
            scores = scores + PREGNANCY_BONUS * np.asarray(usual, dtype=np.float64)
        if pregnant or breastfeeding:
            # round 33: the woman is the patient, an adult: a children's liquid of a formula also sold as
            # tablets after the tablets (the cetirizine drops came first for a pregnant woman's hay fever)
            scores = scores - PAEDIATRIC_PENALTY * arrays.child_form[candidates]
        if breastfeeding:
            # "哺乳期头疼", "while breastfeeding": the same, by the breastfeeding note
            fit = arrays.breastfeeding[candidates]
            scores = scores + np.where(fit > 0, PREGNANCY_BONUS, np.where(fit < 0, -CHILD_BONUS, 0.0))
        nsaid_out = np.zeros(candidates.size)
        rubbed = np.zeros(candidates.size)
        safer = np.zeros(candidates.size)
        if AVOID_NSAID in avoid or NSAID_CAUTION in avoid:
            # a delicate stomach, asthma, an anticoagulant: the NSAIDs by mouth last (round 20: below every
            # other result, a tier), plain paracetamol first
            nsaid_out = self._hard_on_stomach(candidates)
            if AVOID_BLEEDING in avoid:
                # an anticoagulant: every NSAID by mouth (celecoxib too), and those rubbed on the skin below
                # the other answers
                nsaids = set(self._classes.get("nsaid", ()))
                nsaid_out = self._holds_systemic(candidates, nsaids | HAEMOSTATIC_HERBS, False)
                on_skin = [
                    bool(
                        (nsaids | SALICYLATE_RUBS | HAEMOSTATIC_HERBS) & set(self._at(slot).ingredient_names)
                    )
                    for slot in candidates
                ]
                rubbed = np.asarray(on_skin, dtype=np.float64) * (nsaid_out == 0)
            elif AVOID_NSAID not in avoid and asked_nsaids:
                # asthma alone, an NSAID asked about: it stays listed, after the safer choice
                holds_asked = [
                    bool(asked_nsaids & set(self._at(slot).ingredient_names)) for slot in candidates
                ]
                nsaid_out = nsaid_out * ~np.asarray(holds_asked, dtype=bool)
            scores = scores - CHILD_BONUS * nsaid_out
            # in the form for the one asking: a child's liquid for a child, an adult's for an adult
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            fits = childs if wants_child_product else ~childs
            safer = self._plain_paracetamol(candidates) * fits
            scores = scores + SAFER_CHOICE_BONUS * safer
        if AVOID_DECONGESTANT in avoid:
            # round 20: below every other result (a tier), as the NSAIDs are: a decongestant named beside
            # high blood pressure ("no sudafed") outweighed the points
            decongestant_out = self._holds_decongestant(candidates)
            nsaid_out = np.maximum(nsaid_out, decongestant_out)
            scores = scores - CHILD_BONUS * decongestant_out
            if any(m.target == "s:stuffy_nose" for seg in segments for m in seg):
                # round 18: a blocked nose beside high blood pressure: what is put in the nose (saline, a
                # steroid spray; the decongestant sprays are already last) before a cold combination
                nasal = [self._at(slot).dosage_form in FORM_FAMILIES["nasal"] for slot in candidates]
                scores = scores + SAFER_CHOICE_BONUS * np.asarray(nasal, dtype=np.float64)
            if any(self._treats(m, FEVER_PAIN_TARGETS) for seg in segments for m in seg):
                # a pain or a fever beside high blood pressure: plain paracetamol first (the NSAIDs raise
                # blood pressure and blunt its medicines, the combinations hold decongestants or caffeine)
                childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
                fits = childs if wants_child_product else ~childs
                scores = scores + SAFER_CHOICE_BONUS * self._plain_paracetamol(candidates) * fits
        if AVOID_SODIUM in avoid:
            # round 25: heart or kidney failure: an effervescent tablet, or an antacid made with a sodium
            # salt, after its equals
            fizzy = [
                self._at(slot).dosage_form in FORM_FAMILIES["effervescent"]
                or bool(SODIUM_ANTACIDS & set(self._at(slot).ingredient_names))
                for slot in candidates
            ]
            scores = scores - SAFER_CHOICE_BONUS * np.asarray(fizzy, dtype=np.float64)
        if AVOID_SKIN_STEROID in avoid:
            # round 19: a fungal-looking rash: a corticosteroid, alone or with an antifungal, last
            steroids = set(self._classes.get("corticosteroid", ()))
            with_steroid = [
                bool(steroids.intersection(self._at(slot).ingredient_names)) for slot in candidates
            ]
            scores = scores - CHILD_BONUS * np.asarray(with_steroid, dtype=np.float64)
            # a rash on the body is creamed or sprayed, not washed with a scalp shampoo
            shampoo = ["shampoo" in self._at(slot).name_en.lower() for slot in candidates]
            scores = scores - SAFER_CHOICE_BONUS * np.asarray(shampoo, dtype=np.float64)
        if BODY_FUNGAL in avoid:
            shampoo = ["shampoo" in self._at(slot).name_en.lower() for slot in candidates]
            scores = scores - SAFER_CHOICE_BONUS * np.asarray(shampoo, dtype=np.float64)
        if AVOID_FACE_STEROID in avoid:
            # round 20: the skin around the eye: plain hydrocortisone after the non-steroid preparations,
            # a more potent corticosteroid last (BNF "Topical corticosteroids": the face and the eyelids)
            steroids = set(self._classes.get("corticosteroid", ()))
            on_face = [steroids.intersection(self._at(slot).ingredient_names) for slot in candidates]
            mild = np.asarray([bool(h) and h <= {"hydrocortisone"} for h in on_face], dtype=np.float64)
            potent = np.asarray([bool(h - {"hydrocortisone"}) for h in on_face], dtype=np.float64)
            scores = scores - SAFER_CHOICE_BONUS * mild - CHILD_BONUS * potent
        ruled_out = np.zeros(candidates.size)
        if wants_child_product and age is not None and form_segments:
            # round 27: a form asked for a child of a given age ("9살 해열제 알약": a 9-year-old's tablets):
            # a medicine by mouth labelled from an older age below every product that fits the child, though
            # the form named lifts it by 20 points (the label's minimum age is the limit: MHRA, BNF for
            # Children; the ibuprofen 200 mg and paracetamol 500 mg tablets are labelled from 12 here)
            too_old_for = ((arrays.min_age[candidates] > age) | ~arrays.aged[candidates]).astype(np.float64)
            age_out = too_old_for * self._systemic(candidates)
        else:
            age_out = np.zeros(candidates.size)
        if BABY_LABEL in avoid and age is not None:
            # round 29: a baby under 2 (an age given): a medicine whose label starts at an older age is not
            # offered at all, whatever its form (tablets and the 2+ children's liquid for 8-month-old twins,
            # decongestant sprays labelled from 2, 6 or 12 for a 10-month-old); devices kept
            baby_unfit = (
                (arrays.min_age[candidates] > age) & arrays.aged[candidates] & ~arrays.device[candidates]
            )
            # after round 29: nor a medicine taken by mouth (or sucked, chewed) whose label states no age and
            # that is not a children's product (the herbal cold granules and tablets, 牛黄解毒片 with realgar,
            # a honey syrup, herbal lozenges): a label that states no age does not say it fits a baby (MHRA
            # 2009: no cough and cold medicines under 6; BNF for Children; NICE CKS teething and cough in
            # children: paracetamol or ibuprofen from the age on the label)
            unlabelled = (
                ~arrays.aged[candidates]
                & ~arrays.paediatric[candidates]
                & ~arrays.child_form[candidates]
                & (
                    (self._systemic(candidates) > 0)
                    | np.asarray(
                        [self._at(slot).dosage_form in MOUTH_FORMS for slot in candidates],
                        dtype=bool,
                    )
                )
            )
            baby_unfit = baby_unfit | unlabelled
        else:
            baby_unfit = np.zeros(candidates.size, dtype=bool)
        child_out = np.zeros(candidates.size)
        if CHILD_LABEL in avoid and wants_child_product and age is not None:
            # round 33: a child with an age given: a medicine labelled from an older age after every product
            # that fits (the middle tier, above what a rule rules out), and under 6 one by mouth whose label
            # states no age and that is no children's product
            medicine = ~arrays.device[candidates]
            older = (arrays.min_age[candidates] > age) & arrays.aged[candidates] & medicine
            if age < YOUNG_CHILD_LABEL_AGE:
                by_mouth = np.asarray(
                    [self._at(slot).dosage_form in MOUTH_FORMS for slot in candidates],
                    dtype=bool,
                )
                older = older | (
                    ~arrays.aged[candidates]
                    & ~arrays.paediatric[candidates]
                    & ~arrays.child_form[candidates]
                    & medicine
                    & ((self._systemic(candidates) > 0) | by_mouth)
                )
            child_out = older.astype(np.float64)
        if pregnant:
            # round 26: what the pregnancy note says to avoid below every other result (a tier): by points
            # fluconazole stayed fifth for a pregnant woman's thrush, before the clotrimazole creams
            ruled_out = (arrays.pregnancy[candidates] < 0).astype(np.float64)
            if not strengths:
                # round 31: folic acid in (or before) a pregnancy with no dose asked: the high dose (5 mg, on
                # prescription for a higher risk of a neural-tube defect) after the 0.4 mg tablets and the
                # pregnancy multivitamins (NICE CKS "Pre-conception - advice and management": 400 micrograms
                # daily for all, 5 mg only for those at higher risk; BNF "Folic acid"); from memory
                high_dose = [
                    any(
                        i.name == "folic acid" and i.unit == "mg" and (i.strength or 0) >= 1
                        for i in self._at(slot).ingredients
                    )
                    for slot in candidates
                ]
                # the middle tier: above what the pregnancy notes rule out
                rubbed = np.maximum(rubbed, np.asarray(high_dose, dtype=np.float64) * (ruled_out == 0))
        honey_last = np.zeros(candidates.size, dtype=bool)
        if AVOID_HONEY in avoid:
            honeyed = np.asarray(
                [
                    bool(HONEY_INNS.intersection(self._at(slot).ingredient_names))
                    or self._at(slot).dosage_form in HONEY_FORMS
                    for slot in candidates
                ],
                dtype=bool,
            )
            if BABY_LABEL in avoid:
                # a baby under 12 months with an age given: not offered whatever its label says
                baby_unfit = baby_unfit | honeyed
            else:
                # a baby word without an age (a baby may be under 12 months): below every other result,
                # what another rule rules out for a young child too (HONEY_TIER)
                honey_last = honeyed
        if avoid & {
            AVOID_ASPIRIN,
            AVOID_ALL_NSAIDS,
            AVOID_CYP2C19_PPI,
            AVOID_SEDATING,
            AVOID_DXM,
            AVOID_SEIZURE,
            AVOID_ORAL_DECONGESTANT,
            AVOID_LOPERAMIDE,
            AVOID_ANTACID_METALS,
            AVOID_ANTICHOLINERGIC,
            YOUNG_CHILD_COLD,
            YOUNG_CHILD_GUT,
            AVOID_CEPHALOSPORIN,
            AVOID_DOPING,
            AVOID_CYP2D6,
            AVOID_HAEMOLYSIS,
            AVOID_TETRACYCLINE,
            AVOID_ULIPRISTAL,
            AVOID_QT,
            AVOID_ANTIFOLATE,
            AVOID_SODIUM,
        }:
            # round 16: aspirin under 16 (or with valproate), the sedating antihistamines (glaucoma, an
            # enlarged prostate, an older person's sleep), dextromethorphan with an SSRI, amantadine and the
            # sedating-antihistamine combinations with epilepsy: taken by mouth, last
            ruled_inns: set[str] = set()
            if AVOID_ASPIRIN in avoid:
                ruled_inns.add("aspirin")
            if AVOID_ALL_NSAIDS in avoid:
                ruled_inns |= set(self._classes.get("nsaid", ())) | {"aspirin"}
            if AVOID_CYP2C19_PPI in avoid:
                ruled_inns |= CYP2C19_PPIS
            if AVOID_SODIUM in avoid:
                # round 32: heart failure, kidney failure, a low-sodium diet: an antacid made with a sodium
                # salt (Gaviscon) after the acid suppressants too, not only after its equals (Gaviscon liquid
                # SmPC 4.4: sodium content, care in congestive heart failure and sodium-restricted diets)
                ruled_inns |= SODIUM_ANTACIDS
            if AVOID_SEDATING in avoid:
                ruled_inns |= SEDATING_ANTIHISTAMINES
            if AVOID_DXM in avoid:
                ruled_inns.add("dextromethorphan")
            if AVOID_DOPING in avoid:
                ruled_inns |= PROHIBITED_STIMULANTS
            if AVOID_CEPHALOSPORIN in avoid:
                ruled_inns |= self._antihypertensives((CEPHALOSPORIN_ATC,))
            if AVOID_CYP2D6 in avoid:
                ruled_inns |= STRONG_CYP2D6_INHIBITORS
            # round 29: G6PD deficiency, isotretinoin, an enzyme inducer, amiodarone, methotrexate
            for rule, inns in (
                (AVOID_HAEMOLYSIS, HAEMOLYTIC_INNS),
                (AVOID_TETRACYCLINE, TETRACYCLINES),
                (AVOID_ULIPRISTAL, frozenset(("ulipristal",))),
                (AVOID_QT, QT_PROLONGING_INNS),
                (AVOID_ANTIFOLATE, ANTIFOLATE_INNS),
            ):
                if rule in avoid:
                    ruled_inns |= inns
            if AVOID_LOPERAMIDE in avoid:
                ruled_inns.add("loperamide")
            if AVOID_ANTACID_METALS in avoid:
                ruled_inns |= ANTACID_METALS | RENAL_BISMUTH
            if AVOID_ORAL_DECONGESTANT in avoid:
                ruled_inns |= DECONGESTANTS
            if AVOID_ANTICHOLINERGIC in avoid:
                ruled_inns |= ANTICHOLINERGIC_COUGH
            if YOUNG_CHILD_COLD in avoid:
                ruled_inns |= SEDATING_ANTIHISTAMINES | DECONGESTANTS | YOUNG_CHILD_COLD_INNS
            if YOUNG_CHILD_GUT in avoid:
                ruled_inns.add("ethanol")
            systemic_out = self._holds_systemic(candidates, ruled_inns, AVOID_SEIZURE in avoid)
            # round 27: kept beside what the pregnancy note rules out (the tier was overwritten here)
            ruled_out = np.maximum(ruled_out, systemic_out)
            scores = scores - CHILD_BONUS * systemic_out
        if AVOID_EYE_VASOCONSTRICTOR in avoid:
            # round 23: glaucoma beside a red eye: the vasoconstrictor eye drops below everything
            in_eye = [
                "eye" in self._at(slot).dosage_form
                and bool(EYE_VASOCONSTRICTORS & set(self._at(slot).ingredient_names))
                for slot in candidates
            ]
            eye_out = np.asarray(in_eye, dtype=np.float64)
            ruled_out = np.maximum(ruled_out, eye_out)
            scores = scores - CHILD_BONUS * eye_out
        if AVOID_CYP3A4_STEROID in avoid:
            # round 28: ritonavir or cobicistat: fluticasone, budesonide, mometasone (sprays, inhalers, any
            # route) below every other result
            boosted = [bool(CYP3A4_STEROIDS & set(self._at(slot).ingredient_names)) for slot in candidates]
            steroid_out = np.asarray(boosted, dtype=np.float64)
            ruled_out = np.maximum(ruled_out, steroid_out)
            scores = scores - CHILD_BONUS * steroid_out
        if PARACETAMOL_FIRST in avoid and any(
            self._treats(m, FEVER_PAIN_TARGETS | COLD_TARGETS) for seg in segments for m in seg
        ):
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            fits = childs if wants_child_product else ~childs
            if AVOID_SODIUM in avoid:
                # round 32: kidney failure: not the effervescent tablets (sodium), which round 25 puts after
                # their equals
                fits = fits & np.asarray(
                    [self._at(slot).dosage_form not in FORM_FAMILIES["effervescent"] for slot in candidates],
                    dtype=bool,
                )
            scores = scores + SAFER_CHOICE_BONUS * self._plain_paracetamol(candidates) * fits
            if SOLUBLE_FIRST in avoid:
                # round 29: after bariatric surgery a soluble or liquid form before the tablets
                soluble = [self._at(slot).dosage_form in SOLUBLE_ORAL_FORMS for slot in candidates]
                scores = scores + SAFER_CHOICE_BONUS * self._plain_paracetamol(
                    candidates
                ) * fits * np.asarray(soluble, dtype=np.float64)
        if TEEN_PERIOD_NSAID in avoid:
            # round 23 leftovers: a teenager's period pain: ibuprofen or naproxen alone (from 12) first
            shown = [self._at(slot) for slot in candidates]
            nsaid = [
                len(p.ingredient_names) == 1
                and p.ingredient_names[0] in TEEN_PERIOD_NSAIDS
                and p.min_age_years is not None
                and p.min_age_years <= TEEN_MIN_AGE
                for p in shown
            ]
            swallowed = self._holds_systemic(candidates, set(TEEN_PERIOD_NSAIDS), False)
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            # the best few NSAIDs, then the best few plain paracetamol products (the alternative)
            for lifted, share in (
                (np.asarray(nsaid, dtype=np.float64) * swallowed, 2 * SAFER_CHOICE_BONUS),
                (self._plain_paracetamol(candidates) * ~childs, SAFER_CHOICE_BONUS),
            ):
                ranked = np.lexsort((arrays.pid_rank[candidates], -np.round(scores, 6), lifted == 0))
                few = np.zeros(candidates.size)
                few[[i for i in ranked[:SAFER_FIRST_SLOTS] if lifted[i] > 0]] = 1.0
                scores = scores + share * few
        if PREGNANCY_ANTACID in avoid:
            # round 23: an antacid or an alginate first
            plain = [
                set(self._at(slot).ingredient_names) <= PREGNANCY_ANTACIDS | ANTACID_METALS
                for slot in candidates
            ]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(plain, dtype=np.float64)
            aluminium = [
                bool(PREGNANCY_ALUMINIUM.intersection(self._at(slot).ingredient_names)) for slot in candidates
            ]
            scores = scores - 0.5 * SAFER_CHOICE_BONUS * np.asarray(aluminium, dtype=np.float64)
        if PREGNANCY_UTI in avoid:
            names = [set(self._at(slot).ingredient_names) for slot in candidates]
            first = [bool(n) and n <= PREGNANCY_UTI_FIRST for n in names]
            after = [bool(n) and n <= PREGNANCY_UTI_NEXT for n in names]
            scores = scores + SAFER_CHOICE_BONUS * (
                np.asarray(first, dtype=np.float64) + 0.5 * np.asarray(after, dtype=np.float64)
            )
        if PREGNANCY_ANTIFUNGAL in avoid:
            imidazole = [set(self._at(slot).ingredient_names) <= PREGNANCY_ANTIFUNGALS for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(imidazole, dtype=np.float64)
        if ANGINA_RESCUE in avoid:
            shown = [self._at(slot) for slot in candidates]
            rescue = [
                (p.atc or "").startswith(ANGINA_RESCUE_ATC)
                or any(n in p.name_zh for n in ANGINA_RESCUE_NAMES)
                for p in shown
            ]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(rescue, dtype=np.float64)
        if HIVES_ORAL in avoid:
            oral = [
                (product.atc or "").startswith(HIVES_ORAL_ATC)
                and self._route(product) == "systemic"
                and not SEDATING_ANTIHISTAMINES.intersection(product.ingredient_names)
                for product in (self._at(slot) for slot in candidates)
            ]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(oral, dtype=np.float64)
        if ASTHMA_RESCUE in avoid:
            reliever = [(self._at(slot).atc or "").startswith(ASTHMA_RESCUE_ATC) for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(reliever, dtype=np.float64)
        if INFANT_FEVER in avoid:
            # round 27: an underarm digital thermometer first, an ear one next from 4 weeks
            kinds = [self._at(slot).generic_name_en.casefold() for slot in candidates]
            digital = np.asarray(["digital" in k and "thermometer" in k for k in kinds], dtype=np.float64)
            ear = np.asarray(["tympanic" in k for k in kinds], dtype=np.float64)
            if INFANT_FEVER_TYMPANIC not in avoid:
                ear = ear * 0.0
            scores = scores + CHILD_BONUS * digital + SAFER_CHOICE_BONUS * ear
            if age is not None:
                # a medicine labelled from an older age (paracetamol from 2-3 months, ibuprofen from 6), or
                # stating no age (a label that states none does not say it fits a baby this young), below
                # every other result: a tier, not points; the devices (thermometers, cooling sheets) stay
                medicine = np.asarray([self._at(slot).dosage_form != "device" for slot in candidates])
                unfit = (arrays.min_age[candidates] > age) | ~arrays.aged[candidates]
                too_young = (medicine & unfit).astype(np.float64)
                ruled_out = np.maximum(ruled_out, too_young)
        if any(self._asks_antidiarrhoeal(m) for seg in segments for m in seg) and not any(
            any(m.target == f"i:{inn}" for m in seg) and not any(self._asks_antidiarrhoeal(m) for m in seg)
            for seg in segments
            for inn in LATER_ANTIDIARRHOEALS
        ):
            later = [
                bool(LATER_ANTIDIARRHOEALS & set(self._at(slot).ingredient_names)) for slot in candidates
            ]
            scores = scores - SAFER_CHOICE_BONUS * np.asarray(later, dtype=np.float64)
        if YOUNG_CHILD_GUT in avoid:
            rehydration = [
                bool(ORAL_REHYDRATION & set(self._at(slot).ingredient_names)) for slot in candidates
            ]
            scores = scores + CHILD_BONUS * np.asarray(rehydration, dtype=np.float64)
        if CHLORINE_FIRST in avoid:
            chlorine = [bool(set(self._at(slot).ingredient_names) & CHLORINE_INNS) for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(chlorine, dtype=np.float64)
        if OSMOTIC_FIRST in avoid:
            osmotic = [set(self._at(slot).ingredient_names) <= OSMOTIC_LAXATIVES for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(osmotic, dtype=np.float64)
        if HANGOVER_PAIN in avoid and any(self._treats(m, PAIN_TARGETS) for seg in segments for m in seg):
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            held = [self._at(slot).ingredient_names for slot in candidates]
            ibuprofen = np.asarray([names == ("ibuprofen",) for names in held], dtype=np.float64)
            ibuprofen = ibuprofen * self._hard_on_stomach(candidates) * ~childs
            # the best few only: the other painkillers (paracetamol among them) keep their places
            ranked = np.lexsort((arrays.pid_rank[candidates], -np.round(scores, 6), ibuprofen == 0))
            few = np.zeros(candidates.size)
            few[[i for i in ranked[:SAFER_FIRST_SLOTS] if ibuprofen[i] > 0]] = 1.0
            ibuprofen = few
            aspirin = np.asarray(["aspirin" in names for names in held], dtype=np.float64)
            aspirin = aspirin * self._hard_on_stomach(candidates)
            scores = scores + SAFER_CHOICE_BONUS * (ibuprofen - aspirin)
        if BREASTFEEDING_ANTIHISTAMINE in avoid:
            # round 20: cetirizine or loratadine alone, in the mother's (adult) form
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            preferred = [
                set(self._at(slot).ingredient_names) <= BREASTFEEDING_ANTIHISTAMINES for slot in candidates
            ]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(preferred, dtype=np.float64) * ~childs
        if WANTS_LONG_ACTING in avoid or WANTS_FAST_ACTING in avoid:
            long_acting = WANTS_LONG_ACTING in avoid
            released = [self._release_fits(self._at(slot), long_acting=long_acting) for slot in candidates]
            scores = scores + RELEASE_BONUS * np.asarray(released, dtype=np.float64)
        if WANTS_NIGHT in avoid and any(m.target in NIGHT_TARGETS for seg in segments for m in seg):
            shown = [self._at(slot) for slot in candidates]
            night = [
                any(NIGHT_NAME.search(n.casefold()) for n in (p.name_en, p.name_zh, p.name_ko)) for p in shown
            ]
            day = [
                any(DAY_NAME.search(n.casefold()) for n in (p.name_en, p.name_zh, p.name_ko)) for p in shown
            ]
            lift = [
                1.0 if n and not d else -1.0 if d and not n else 0.0 for n, d in zip(night, day, strict=True)
            ]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(lift, dtype=np.float64)
        if AVOID_PARACETAMOL in avoid:
            # after drinking, the liver a worry: paracetamol last, aspirin by mouth below the other NSAIDs
            held = [self._at(slot).ingredient_names for slot in candidates]
            paracetamol = np.asarray(["paracetamol" in names for names in held], dtype=np.float64)
            aspirin = np.asarray(["aspirin" in names for names in held], dtype=np.float64)
            aspirin = aspirin * self._hard_on_stomach(candidates)
            scores = scores - CHILD_BONUS * paracetamol - CHILD_BONUS / 2 * aspirin
        if AVOID_SUGAR in avoid:
            # sugar-free asked, or diabetes said beside a complaint: what is named sugar-free first, the
            # sugary forms last
            free = [self._sugar_free(self._at(slot)) for slot in candidates]
            sugary = [
                self._at(slot).dosage_form in SUGARY_FORMS and not f
                for slot, f in zip(candidates, free, strict=True)
            ]
            scores = scores + PRESERVATIVE_FREE_BONUS * np.asarray(free, dtype=np.float64)
            scores = scores - CHILD_BONUS * np.asarray(sugary, dtype=np.float64)
        if herbal_only:
            herbal = [self._is_herbal(self._at(slot)) for slot in candidates]
            scores = scores - CHILD_BONUS * ~np.asarray(herbal, dtype=bool)
        if preservative_free:
            free = [self._preservative_free(self._at(slot)) for slot in candidates]
            scores = scores + PRESERVATIVE_FREE_BONUS * np.asarray(free, dtype=np.float64)
        if western_only:
            tcm = [self._at(slot).category == "tcm" for slot in candidates]
            scores = scores - CHILD_BONUS * np.asarray(tcm, dtype=np.float64)
        tiers = arrays.rx[candidates].astype(np.int8) if only_symptoms else np.zeros(candidates.size, np.int8)
        if only_symptoms and ANTIBIOTIC_ASKED in avoid:
            # round 31: an antibiotic asked for beside a complaint: the antibiotics not after the OTC products
            antibiotic = [(self._at(slot).atc or "").startswith(ANTIBIOTIC_ATC) for slot in candidates]
            # round 32: and, the word no longer scoring, what is not an antibiotic after them
            tiers = np.where(np.asarray(antibiotic, dtype=bool), 0, tiers + 2).astype(np.int8)
        if only_symptoms and ASTHMA_RESCUE in avoid:
            # round 32: an asthma attack: the reliever (prescription-only) not after the spacer and nebuliser
            reliever = [(self._at(slot).atc or "").startswith(ASTHMA_RESCUE_ATC) for slot in candidates]
            tiers = np.where(np.asarray(reliever, dtype=bool), 0, tiers).astype(np.int8)
        if only_symptoms and not form_segments and SHINGLES_ORAL in avoid:
            # round 31: shingles: the antivirals by mouth not after the OTC cream
            oral_antiviral = [
                (product.atc or "").startswith("J05") and self._route(product) == "systemic"
                for product in (self._at(slot) for slot in candidates)
            ]
            tiers = np.where(np.asarray(oral_antiviral, dtype=bool), 0, tiers).astype(np.int8)
        if only_symptoms and segments and in_form.any():
            # "鼻炎喷剂": the asked form first (OTC before prescription within it), then the rest
            tiers = tiers + np.where(in_form[candidates], 0, 2).astype(np.int8)
        ruled_out = np.maximum(ruled_out, nsaid_out)
        if PREGNANCY_DECONGESTANT in avoid:
            # round 22: pregnancy: a decongestant by mouth last; a decongestant spray or drop, and a cold
            # combination taken by mouth (amantadine, caffeine, herbs beside paracetamol), above it
            swallowed = self._holds_systemic(candidates, set(DECONGESTANTS), False)
            ruled_out = np.maximum(ruled_out, swallowed)
            held = [self._at(slot).ingredient_names for slot in candidates]
            combined = self._holds_systemic(
                candidates, {n for names in held if len(names) > 1 for n in names}, False
            )
            combined = combined * np.asarray([len(names) > 1 for names in held], dtype=np.float64)
            middle = np.maximum(self._holds_decongestant(candidates), combined)
            rubbed = np.maximum(rubbed, middle * (swallowed == 0))
            if PREGNANCY_NOSE in avoid:
                nasal = [self._at(slot).dosage_form in FORM_FAMILIES["nasal"] for slot in candidates]
                scores = scores + 2 * SAFER_CHOICE_BONUS * np.asarray(nasal, dtype=np.float64)
        if COLD_COMBINATIONS_LATER in avoid and any(
            self._treats(m, COLD_TARGETS) for seg in segments for m in seg
        ):
            # round 23: a cold beside high blood pressure, glaucoma or an enlarged prostate: a product of two
            # or more ingredients taken by mouth after the single ones (a tier above what is ruled out),
            # plain paracetamol first
            held = [self._at(slot).ingredient_names for slot in candidates]
            combined = self._holds_systemic(
                candidates, {n for names in held if len(names) > 1 for n in names}, False
            )
            combined = combined * np.asarray([len(names) > 1 for names in held], dtype=np.float64)
            rubbed = np.maximum(rubbed, combined * (ruled_out == 0))
            childs = arrays.paediatric[candidates] | arrays.child_form[candidates]
            fits = childs if wants_child_product else ~childs
            scores = scores + SAFER_CHOICE_BONUS * self._plain_paracetamol(candidates) * fits
        if (GLAUCOMA_NOSE in avoid or REBOUND_NOSE in avoid) and any(
            self._treats(m, COLD_TARGETS) for seg in segments for m in seg
        ):
            # round 23 leftovers: glaucoma beside a cold or a blocked nose: the decongestant sprays and drops
            # after saline and the steroid sprays (the middle tier); round 29: an enlarged prostate too, and
            # with rebound congestion below every other result, the steroid sprays and saline first
            decongestant_sprays = np.asarray(
                [
                    self._at(slot).dosage_form in FORM_FAMILIES["nasal"]
                    and bool(NASAL_SYMPATHOMIMETICS & set(self._at(slot).ingredient_names))
                    for slot in candidates
                ],
                dtype=np.float64,
            )
            if REBOUND_NOSE in avoid:
                ruled_out = np.maximum(ruled_out, decongestant_sprays)
                nose = [
                    _is_saline_nose(product)
                    or (
                        product.dosage_form in FORM_FAMILIES["nasal"]
                        and bool(NASAL_STEROIDS & set(product.ingredient_names))
                    )
                    for product in (self._at(slot) for slot in candidates)
                ]
                scores = scores + CHILD_BONUS * np.asarray(nose, dtype=np.float64)
            else:
                rubbed = np.maximum(rubbed, decongestant_sprays * (ruled_out == 0))
        if SALINE_FIRST in avoid and any(
            m.target == "s:stuffy_nose" or (YOUNG_CHILD_COLD in avoid and m.target in CHILD_NOSE_TARGETS)
            for seg in segments
            for m in seg
        ):
            # round 29: glaucoma or an enlarged prostate beside a blocked nose: saline first; round 30: a
            # young child's runny nose too
            saline = [_is_saline_nose(self._at(slot)) for slot in candidates]
            scores = scores + SAFER_CHOICE_BONUS * np.asarray(saline, dtype=np.float64)
        if (
            CHICKENPOX_ITCH in avoid
            and any(m.target == "s:itching" for seg in segments for m in seg)
            and not any(self._treats(m, FEVER_PAIN_TARGETS) for seg in segments for m in seg)
        ):
            # round 31: chickenpox's itch: calamine first, before a child's antihistamine liquids too (with
            # a fever or a pain, paracetamol stays first)
            cooling = ["calamine" in self._at(slot).ingredient_names for slot in candidates]
            scores = scores + (CHILD_BONUS + SAFER_CHOICE_BONUS) * np.asarray(cooling, dtype=np.float64)
        ruled_out = np.maximum(ruled_out, age_out)
        rubbed = np.maximum(rubbed, child_out * (ruled_out == 0))
        if breastfeeding:
            iodine = [
                bool(BREASTFEEDING_IODINE_INNS & set(self._at(slot).ingredient_names))
                and self._at(slot).dosage_form in MOUTH_FORMS
                for slot in candidates
            ]
            rubbed = np.maximum(rubbed, np.asarray(iodine, dtype=np.float64) * (ruled_out == 0))
        if ruled_out.any() or rubbed.any():
            # what a round-16 condition rules out goes below everything else, prescription products too
            # (melatonin, Rx, before doxylamine for an older person's sleep); round 20: an NSAID rubbed on
            # the skin beside an anticoagulant just above it
            tiers = tiers + np.where(ruled_out > 0, 8, np.where(rubbed > 0, 4, 0)).astype(np.int8)
        if BABY_LABEL in avoid:
            # round 29: and for that baby what a rule rules out (a chlorphenamine cold combination, aspirin)
            # is not offered either
            baby_unfit = baby_unfit | (ruled_out > 0)
        tiers = tiers + np.where(baby_unfit, BABY_UNFIT_TIER, 0).astype(np.int8)
        tiers = tiers + np.where(honey_last, HONEY_TIER, 0).astype(np.int8)
        if asked_nsaids and safer.any():
            # round 20: an NSAID asked about beside a condition that rules it out or calls for caution: the
            # best few plain paracetamol products first, then what was asked
            ranked = np.lexsort((arrays.pid_rank[candidates], -np.round(scores, 6), tiers, safer == 0))
            first = [i for i in ranked[:SAFER_FIRST_SLOTS] if safer[i] > 0]
            tiers[first] = tiers[first] - 16
        # round 20: the pieces of an English contraction ("what's", "don't") name no product ("Loxonin S")
        hints = [t for t in leftovers if t and _is_latin_key(t) and t not in CONTRACTION_PIECES]
        # a symptom query's own words in a product's name ("hand sanitizer", "sore throat"): among the
        # medicines treating it, those named for it first (not devices: "fever" is no cooling sheet)
        # when the best it reaches are all devices of a kind (masks, test kits), a device's name is what
        # tells them apart ("surgical masks", "kf94 마스크 대형")
        symptom_devices = segments and all(m.target.startswith("s:") for m in segments[0])
        top = candidates[scores >= scores.max() - 1e-6]
        devices_only = bool(symptom_devices) and bool(arrays.device[top].all())
        named_for = (
            [
                w
                for w in dict.fromkeys(query.split())
                if w not in hints
                and w not in EN_STOP
                and (w.isalpha() or (devices_only and w.isalnum()))
                and len(w) > 2
                and _is_latin_key(w)
            ]
            if only_symptoms or devices_only
            else []
        )
        local_hints = [t for t in leftovers if t and not _is_latin_key(t)]
        if hints or strengths or named_for or packs:
            bonus = np.zeros(size)
            for hint in (*hints, *named_for):
                with_word = arrays.tokens.get(hint)
                if with_word is None:
                    with_word = arrays.tokens.get(spelling_key(hint))
                if with_word is None:
                    continue
                if hint in named_for:
                    named = with_word if devices_only else with_word[~arrays.device[with_word]]
                    bonus[named] += NAMED_FOR_BONUS
                else:
                    bonus[with_word] += TOKEN_BONUS
            for wanted in strengths:
                with_strength = arrays.strengths.get((wanted.unit, round(wanted.value, 6)))
                if with_strength is not None:
                    bonus[with_strength] += STRENGTH_BONUS
            for count in dict.fromkeys(packs or ()):
                with_pack = arrays.packs.get(count)
                if with_pack is not None:
                    bonus[with_pack] += PACK_BONUS
            scores = scores + bonus[candidates]
        if local_hints:
            # a Chinese or Korean word in the names is checked on the products it could still lift
            reach = TOKEN_BONUS * len(local_hints) + (NAME_START_BONUS if query else 0.0)
            candidates, scores, tiers = self._within_reach(candidates, scores, tiers, limit, reach)
            extra = [self._local_bonus(self._slot_pid[slot], local_hints) for slot in candidates]
            scores = scores + np.asarray(extra, dtype=np.float64)
        typed = "".join(c for c in query if is_hangul(c) or is_cjk(c))
        if only_symptoms and len(typed) >= 3:
            # the same for a Chinese or Korean symptom query: the medicine whose name holds most of
            # its character pairs (免洗洗手液: the hand gel 免洗手消毒凝胶 before the wipes that also
            # serve for hand hygiene)
            pairs = {typed[i : i + 2] for i in range(len(typed) - 1)}
            candidates, scores, tiers = self._within_reach(candidates, scores, tiers, limit, NAMED_FOR_BONUS)
            extra = [self._named_for_local(self._slot_pid[slot], pairs, devices_only) for slot in candidates]
            scores = scores + np.asarray(extra, dtype=np.float64)
        words = query.split()
        named = arrays.starts.get(words[0]) if words else None
        if named is not None and candidates.size > 1:
            # among equals, a product named after the query ("Ibuprofen 200 mg tablets" for
            # "ibuprofen") comes before brands that merely contain it
            flags = np.zeros(size, dtype=bool)
            flags[named] = True
            if len(words) > 1:
                candidates, scores, tiers = self._within_reach(
                    candidates, scores, tiers, limit, NAME_START_BONUS
                )
                starts = flags[candidates]
                for i in np.flatnonzero(starts):
                    starts[i] = self._name_starts_with(self._slot_pid[candidates[i]], query)
            else:
                starts = flags[candidates]
            scores = scores + NAME_START_BONUS * starts
        rounded = np.round(scores, 6)
        order = np.lexsort(
            (
                arrays.pid_rank[candidates],
                self._elsewhere(arrays, candidates, rounded, query),
                arrays.reserved[candidates],
                -rounded,
                tiers,
            )
        )[:limit]
        hits = []
        # round 29: what a baby's age rules out is dropped (BABY_UNFIT_TIER)
        order = order[tiers[order] < BABY_UNFIT_TIER]
        for position in order:
            pid = self._slot_pid[candidates[position]]
            score = round(float(scores[position]), 3)
            label = self._label(pid, segments or form_segments) or self._label(pid, form_segments)
            hits.append(SearchHit(self._products[pid], score, label))
        return hits
