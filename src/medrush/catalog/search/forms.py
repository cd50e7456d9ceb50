"""Dosage forms and pack sizes named in a query ("eye drops", "栓剂", "파스", "20 tablets", "14粒").

A form word says how the customer wants to take a medicine, not what for: it is matched to a
*family* of the catalog's ``dosage_form`` values and ranks the products of that family first among
those the rest of the query finds (or, alone, lists them). The words are the pharmacist's, in the
three languages; a family is never inferred from a product's name.
"""

from __future__ import annotations

import re

__all__ = [
    "FORM_FAMILIES",
    "KO_FORM_TERMS",
    "ORAL_FAMILIES",
    "named_dosage_forms",
    "pack_count",
    "query_forms",
    "query_packs",
]

# family -> the dosage_form values of the catalog it stands for
FORM_FAMILIES: dict[str, frozenset[str]] = {
    "eye_drops": frozenset(("eye drops",)),
    "eye_ointment": frozenset(("eye ointment",)),
    "ear_drops": frozenset(("ear drops",)),
    "nasal": frozenset(("nasal spray", "nasal drops")),
    "patch": frozenset(("medicated plasters", "transdermal patches")),
    "suppository": frozenset(("suppositories", "rectal solution")),
    "lozenge": frozenset(("lozenges",)),
    "liquid": frozenset(("syrup", "oral suspension", "oral solution", "oral liquid", "oral drops")),
    "granules": frozenset(("granules", "powder for oral solution", "oral powder")),
    "gel": frozenset(("gel",)),
    "cream": frozenset(("cream", "ointment", "balm", "oral paste", "vaginal cream")),
    "spray": frozenset(("cutaneous spray", "nasal spray", "throat spray", "aerosol")),
    "effervescent": frozenset(("effervescent tablets",)),
    "mouthwash": frozenset(("mouthwash",)),
    "tablets": frozenset(
        (
            "tablets",
            "film-coated tablets",
            "extended-release tablets",
            "gastro-resistant tablets",
            "chewable tablets",
            "orally disintegrating tablets",
            "effervescent tablets",
            "pills",
            "honeyed pills",
            "dripping pills",
        )
    ),
    "capsules": frozenset(
        ("capsules", "soft capsules", "sustained-release capsules", "gastro-resistant capsules")
    ),
    "gum": frozenset(("medicated chewing gum",)),
    "chewable": frozenset(("chewable tablets",)),
    # round 18: melts on the tongue, taken without water (물 없이, 口崩片)
    "orodispersible": frozenset(("orally disintegrating tablets",)),
}
# taken by mouth (吃的, 먹는) and put on the skin (바르는, 抹的): the broad routes a customer names
FORM_FAMILIES["oral"] = frozenset().union(
    *(FORM_FAMILIES[f] for f in ("liquid", "granules", "effervescent", "tablets", "capsules"))
)
FORM_FAMILIES["topical"] = frozenset(
    (
        *FORM_FAMILIES["cream"],
        *FORM_FAMILIES["gel"],
        "cutaneous spray",
        "aerosol",
        "cutaneous solution",
        "lotion",
    )
)
# forms taken by mouth: a brand asked for in one of them is close to the same line in another
# ("nyquil liquid" is well answered by the NyQuil capsules when nothing else has that formula)
ORAL_FAMILIES = frozenset(("liquid", "granules", "effervescent", "tablets", "capsules", "orodispersible"))

# latin phrases (whole words), longest first when they overlap
_LATIN_TERMS = {
    "eye drops": "eye_drops",
    "eye drop": "eye_drops",
    "eyedrops": "eye_drops",
    "eye ointment": "eye_ointment",
    "ear drops": "ear_drops",
    "ear drop": "ear_drops",
    "eardrops": "ear_drops",
    "nasal spray": "nasal",
    "nose spray": "nasal",
    "nasal drops": "nasal",
    "nose drops": "nasal",
    "patch": "patch",
    "patches": "patch",
    "plaster": "patch",
    "plasters": "patch",
    "suppository": "suppository",
    "suppositories": "suppository",
    "lozenge": "lozenge",
    "lozenges": "lozenge",
    "pastilles": "lozenge",
    "syrup": "liquid",
    "liquid": "liquid",
    "suspension": "liquid",
    "granules": "granules",
    "gel": "gel",
    "cream": "cream",
    "ointment": "cream",
    "spray": "spray",
    "effervescent": "effervescent",
    "fizzy": "effervescent",
    "mouthwash": "mouthwash",
    "gargle": "mouthwash",
    "tablets": "tablets",
    "tablet": "tablets",
    "tabs": "tablets",
    "caplets": "tablets",
    "pills": "tablets",
    "pill": "tablets",
    "capsules": "capsules",
    "capsule": "capsules",
    "caps": "capsules",
    "chewing gum": "gum",
    "gum": "gum",
    "chewable": "chewable",
    "chewables": "chewable",
    "chewable tablets": "chewable",
    "chewable tablet": "chewable",
    "rub on": "topical",
    "rub-on": "topical",
    "to rub in": "topical",
    # round 18: how it is taken, said instead of the form's name
    "dissolves in water": "effervescent",
    "dissolve in water": "effervescent",
    "dissolved in water": "effervescent",
    "soluble": "effervescent",
    "orodispersible": "orodispersible",
    "melts in the mouth": "orodispersible",
    "melts in your mouth": "orodispersible",
    "melt in the mouth": "orodispersible",
    "melts on the tongue": "orodispersible",
    "without water": "orodispersible",
    "no water needed": "orodispersible",
}
# Chinese and Korean words, found inside a run (longest first)
_LOCAL_TERMS = {
    "滴眼液": "eye_drops",
    "眼药水": "eye_drops",
    "眼膏": "eye_ointment",
    "滴耳液": "ear_drops",
    "鼻喷雾剂": "nasal",
    "鼻喷剂": "nasal",
    "喷鼻剂": "nasal",
    "鼻喷": "nasal",
    "滴鼻液": "nasal",
    "贴剂": "patch",
    "贴片": "patch",
    "膏药": "patch",
    "栓剂": "suppository",
    "肛栓": "suppository",
    "含片": "lozenge",
    "喉片": "lozenge",
    "润喉糖": "lozenge",
    "糖浆": "liquid",
    "混悬液": "liquid",
    "口服液": "liquid",
    "口服溶液": "liquid",
    "颗粒": "granules",
    "冲剂": "granules",
    "凝胶": "gel",
    "乳膏": "cream",
    "软膏": "cream",
    "药膏": "cream",
    "喷雾剂": "spray",
    "喷剂": "spray",
    "气雾剂": "spray",
    "泡腾片": "effervescent",
    "漱口水": "mouthwash",
    "含漱液": "mouthwash",
    "片剂": "tablets",
    "药片": "tablets",
    "胶囊": "capsules",
    "咀嚼胶": "gum",
    "咀嚼片": "chewable",
    "嚼着吃": "chewable",
    "嚼服": "chewable",
    "喷的": "spray",
    "喷鼻子": "nasal",
    # round 19: the verb asked ("过敏性鼻炎喷什么": what to spray): a spray, as 喷的
    "喷什么": "spray",
    "喷啥": "spray",
    "喷哪个": "spray",
    "喷哪种": "spray",
    "喷点": "spray",
    "喷一下": "spray",
    "吃的": "oral",
    "口服的": "oral",
    "抹的": "topical",
    "涂的": "topical",
    "口崩片": "orodispersible",
    "口腔崩解片": "orodispersible",
    "不用喝水": "orodispersible",
    "不用水": "orodispersible",
    "无需用水": "orodispersible",
    "溶于水": "effervescent",
    "泡水喝": "effervescent",
    "물 없이": "orodispersible",
    "물없이": "orodispersible",
    "구강붕해정": "orodispersible",
    "입에서 녹는": "orodispersible",
    "물에 녹여": "effervescent",
    "물에 타서": "effervescent",
    "外用的": "topical",  # round 18: 用外用的, one put on the skin
    "贴的": "patch",  # round 18: 晕车药 贴的, one that sticks on
    "뿌리는 파스": "spray",
    "뿌리는": "spray",
    "뿌릴": "spray",  # round 19: "비염에 뿌릴 거", 코에 뿌려요: the verb asked
    "뿌려": "spray",
    "먹는": "oral",
    "먹을 수 있는": "oral",  # "임산부도 먹을 수 있는": one that can be taken
    "바르는": "topical",
    "점안액": "eye_drops",
    "안약": "eye_drops",
    "눈약": "eye_drops",
    "안연고": "eye_ointment",
    "점이액": "ear_drops",
    "귀약": "ear_drops",
    "코스프레이": "nasal",
    "코 스프레이": "nasal",
    "비강분무제": "nasal",
    "나잘스프레이": "nasal",
    "점비액": "nasal",
    "패치": "patch",
    "파스": "patch",
    "붙이는": "patch",  # "멀미할 때 붙이는 거": one that sticks on
    "좌약": "suppository",
    "좌제": "suppository",
    "트로키": "lozenge",
    "목캔디": "lozenge",
    "시럽": "liquid",
    "현탁액": "liquid",
    "물약": "liquid",
    "과립": "granules",
    "겔": "gel",
    "젤": "gel",
    "연고": "cream",
    "크림": "cream",
    "스프레이": "spray",
    "발포정": "effervescent",
    "가글": "mouthwash",
    "알약": "tablets",
    "정제": "tablets",
    "캡슐": "capsules",
    "껌": "gum",
    "츄어블": "chewable",
    "씹어 먹는": "chewable",
    "씹어먹는": "chewable",
    "씹어 먹을": "chewable",
    "씹는": "chewable",
}
# the Korean form words (크림, 연고, 시럽): a form asked for, not a piece of a name to search
KO_FORM_TERMS = frozenset(t for t in _LOCAL_TERMS if any("\uac00" <= c <= "\ud7a3" for c in t))
_LATIN = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(map(re.escape, _LATIN_TERMS), key=len, reverse=True)) + r")(?![a-z])"
)
_LOCAL = re.compile("|".join(sorted(map(re.escape, _LOCAL_TERMS), key=len, reverse=True)))
# 晕车贴, 止痛贴: 贴 closing a Chinese word is a patch (创可贴 is a plaster for cuts, not a patch)
_ZH_PATCH = re.compile(r"(?<!创可)(?<=[\u4e00-\u9fff])贴(?![\u4e00-\u9fff])")
_SPECIFIC_SPRAYS = frozenset(("nasal",))
# 扶他林片, 볼타렌 정: a bare 片 closing a Chinese word, or 정 standing alone, is a tablet (含片, 泡腾片 are
# other forms, found above)
_ZH_TABLET = re.compile(r"(?<=[\u4e00-\u9fff])(?<![含喉腾贴嚼散])片(?![\u4e00-\u9fff])")
_KO_TABLET = re.compile(r"(?<![\uac00-\ud7a3])정(?![\uac00-\ud7a3])")


def query_forms(normalized: str) -> list[str]:
    """The form families a normalised query names, in order, without repeats."""
    found = [_LATIN_TERMS[m.group(1)] for m in _LATIN.finditer(normalized)]
    found += [
        _LOCAL_TERMS[m.group(0)]
        for m in _LOCAL.finditer(normalized)
        # 콧물약 is 콧물 (a runny nose) + 약, not a liquid (물약)
        if not (m.group(0) == "물약" and normalized[m.start() - 1 : m.start()] == "콧")
        # round 19: 먹는데 / 먹는 중 ("고혈압약 먹는데 코막힘") says what is taken, not a form asked
        and not (m.group(0) == "먹는" and normalized[m.end() : m.end() + 2].strip()[:1] in ("데", "중"))
    ]
    if _ZH_PATCH.search(normalized):
        found.append("patch")
    if _ZH_TABLET.search(normalized) or _KO_TABLET.search(normalized):
        found.append("tablets")
    families = list(dict.fromkeys(found))
    if "spray" in families and _SPECIFIC_SPRAYS & set(families):
        families.remove("spray")  # "nasal spray" is not every spray
    return families


_GASTRO_RESISTANT = frozenset(("gastro-resistant tablets", "gastro-resistant capsules"))
_MODIFIED_RELEASE = frozenset(("extended-release tablets", "sustained-release capsules"))
# a coating or release a query may rule out ("not enteric coated", 不要缓释的, 장용정 아닌): more precise
# than the form word it may carry (肠溶片 rules out the enteric-coated tablets, not every tablet)
_MODIFIERS = (
    (re.compile(r"(?<![a-z])(?:enteric|ec)(?![a-z])|肠溶|장용"), _GASTRO_RESISTANT),
    (
        re.compile(
            r"(?<![a-z])(?:(?:slow|sustained|extended|modified|controlled) release|sr|er|xr)(?![a-z])"
            r"|缓释|控释|서방"
        ),
        _MODIFIED_RELEASE,
    ),
)


def named_dosage_forms(phrase: str) -> frozenset[str]:
    """The catalog ``dosage_form`` values a phrase names ("effervescent", "시럽", "缓释", "enteric
    coated"): the forms of a coating or release word when it has one, else of its form families."""
    forms: set[str] = set()
    for pattern, values in _MODIFIERS:
        if pattern.search(phrase):
            forms |= values
    if not forms:
        for family in query_forms(phrase):
            forms |= FORM_FAMILIES[family]
    return frozenset(forms)


# "20 tablets", "x 7", "14粒", "30정": a pack size (the number of units in the box)
_PACK = re.compile(
    r"(?<![\d.])(\d{1,3}) ?(tablets|tablet|tabs|tab|caplets|capsules|capsule|caps|sachets|pills|"
    r"粒|片装|片|袋|支|정|캡슐|포)(?![a-z])|(?<![a-z])x ?(\d{1,3})(?![\d.])"
)
_PACK_COUNT = re.compile(r"^\s*(\d+)")


def query_packs(normalized: str) -> tuple[list[int], str]:
    """Pack sizes named in a query, and the query with their numbers taken out (the unit word stays)."""
    found: list[int] = []

    def take(match: re.Match[str]) -> str:
        found.append(int(match.group(1) or match.group(3)))
        unit = match.group(2) or ""
        return f" {unit} " if unit.isascii() else " "

    rest = _PACK.sub(take, normalized)
    return found, " ".join(rest.split())


def pack_count(pack: str) -> int | None:
    """The number of units of a product's pack ("20 tablets" -> 20), None when it does not start so."""
    match = _PACK_COUNT.match(pack or "")
    return int(match.group(1)) if match else None
