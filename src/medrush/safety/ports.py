"""Catalog ports over a plain list of products: for tests, benchmarks and the CLI without a database.

``ProductListPorts(products).resolve("ibuprofen 200 mg")`` finds a product by id, by a name or brand
in any language, or by its single active ingredient (preferring the strength named in the query);
``get(id)`` finds one by id. The live catalog search replaces both when it is available.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from medrush.catalog import Product
from medrush.safety.knowledge import KnowledgeBase, load_knowledge_base
from medrush.safety.text import term_key

__all__ = ["ProductListPorts", "catalog_ports", "is_device_match", "pick_hit"]

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[^\W_]+(?:[./][^\W_]+)*")
_LETTERS = re.compile(r"[^\W\d_]")
_STRENGTH = re.compile(r"\d+(?:\.\d+)?(?:mg|g|mcg|ug|µg|ml|iu|%)?(?:/\d*(?:\.\d+)?(?:mg|g|ml))?")
# Words a product name may carry after the query's words: dosage forms and pack words only.
_FORM_WORDS = frozenset(
    {
        *("tablet", "tablets", "tab", "tabs", "caplet", "caplets", "capsule", "capsules", "caps", "cap"),
        *("liquid", "syrup", "suspension", "solution", "drops", "gel", "cream", "ointment", "spray"),
        *("sachets", "sachet", "granules", "lozenges", "pessary", "patch", "patches", "coated", "film"),
        *("soft", "hard", "chewable", "effervescent", "oral"),
    }
)

# A dosage form a query names ("children's ibuprofen suspension", "布洛芬混悬液", "어린이 시럽", "滴剂"): a
# product of that form is preferred to tablets of the same ingredient. Each group: the words in a query, and
# the words that show the form in a product's dosage form or name.
_QUERY_FORMS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (  # by the nose (or a spray) or the eye first: "saline nasal spray" is not the saline eye drops
        re.compile(r"nasal|nose|spray|鼻|喷雾|喷剂|비강|스프레이|코에"),
        re.compile(r"nasal|nose|spray|鼻|喷|비강|스프레이"),
    ),
    (
        re.compile(r"\beyes?\b|滴眼|眼药水|眼液|점안|안약|인공눈물"),
        re.compile(r"\beyes?\b|滴眼|眼药水|점안"),
    ),
    (
        re.compile(r"drops|滴剂|드롭스|드롭|점적"),
        re.compile(r"drops|滴剂|드롭스|드롭"),
    ),
    (
        re.compile(r"suspension|syrup|liquid|oral solution|混悬液|糖浆|口服液|口服溶液|현탁액|시럽|물약"),
        re.compile(r"suspension|syrup|liquid|solution|混悬液|糖浆|口服液|溶液|현탁액|시럽|내복액"),
    ),
)


def _form_named(query: str) -> re.Pattern[str] | None:
    """The product-side pattern of the dosage form a query names, or None."""
    text = query.lower()
    for said, shown in _QUERY_FORMS:
        if said.search(text):
            return shown
    return None


def _of_form(product: Product, shown: re.Pattern[str]) -> bool:
    names = [product.dosage_form, product.name_en, product.name_zh, product.name_ko]
    return shown.search(" ".join(n for n in names if n).lower()) is not None


def _form_order(query: str, products: Sequence[Product]) -> list[int]:
    """Sort keys that put first the products of the dosage form the query names.

    A name alone ("美林", "Motrin") does not mean the concentrated infant drops when the same name also
    sells an ordinary suspension or syrup: "每次喂8毫升" of 美林 is the 20 mg/ml suspension's label dose for a
    6-year-old, and ten times the drops' (40 mg/ml). The drops then come after the other liquids.
    """
    shown = _form_named(query)
    if shown is not None:
        return [0 if _of_form(p, shown) else 1 for p in products]
    drops, liquid = _QUERY_FORMS[-2][1], _QUERY_FORMS[-1][1]
    if not any(_of_form(p, liquid) and not _of_form(p, drops) for p in products):
        return [0] * len(products)
    return [1 if _of_form(p, drops) else 0 for p in products]


def prefer_form(query: str, products: Sequence[Product]) -> list[Product]:
    """``products`` with those of the dosage form the query names first (order otherwise kept)."""
    keys = _form_order(query, products)
    return [p for _, _, p in sorted(zip(keys, range(len(keys)), products, strict=True))]


class ProductListPorts:
    """``resolve`` and ``get`` ports answering from products held in memory."""

    def __init__(
        self,
        products: Iterable[Product],
        kb: KnowledgeBase | None = None,
        *,
        by_id_only: Iterable[Product] = (),
    ) -> None:
        """Index the products by id, names, brands and ingredients; ``by_id_only`` products are found by
        their id alone (``get``), never by a query."""
        self._kb = kb or load_knowledge_base()
        self._by_id: dict[str, Product] = {}
        self._by_name: dict[str, Product] = {}
        self._by_ingredient: dict[str, list[Product]] = {}
        self._names: dict[str, Product] = {}
        for product in sorted(products, key=lambda p: p.id):
            self._by_id[product.id] = product
            names = [product.id, product.name_en, product.name_zh, product.name_ko, product.generic_name_en]
            names += [b.name for b in product.brands]
            for name in names:
                if name:
                    self._by_name.setdefault(term_key(name), product)
                    self._names.setdefault(name, product)
            canon = frozenset(self._kb.canonical(n) for n in product.ingredient_names)
            if len(canon) == 1:
                self._by_ingredient.setdefault(next(iter(canon)), []).append(product)
        for product in by_id_only:
            if product.id in self._by_id:
                raise ValueError(f"duplicate product id {product.id}")
            self._by_id[product.id] = product

    def _by_prefix(self, query: str) -> Product | None:
        """A name that starts with the whole query and carries at most a dosage form after it; else the
        one product whose name carries at most a form and a strength after it ("玻璃酸钠滴眼液" -> "玻璃酸钠
        滴眼液 0.1%"), none when names of two products do."""
        words = _WORD.findall(query.lower())
        if not any(_LETTERS.search(w) for w in words):
            return None  # a strength alone ("500mg") names no product
        with_strength: dict[str, Product] = {}
        for name, product in self._names.items():  # products in id order
            rest = _WORD.findall(name.lower())
            if rest[: len(words)] != words:
                continue
            after = rest[len(words) :]
            if all(w in _FORM_WORDS for w in after):
                return product
            if all(w in _FORM_WORDS or _STRENGTH.fullmatch(w) for w in after):
                with_strength[product.id] = product
        return next(iter(with_strength.values())) if len(with_strength) == 1 else None

    def _by_words(self, query: str) -> Product | None:
        """The one product a name of which holds every word of a query of two or more words, each of two
        or more letters ("京都念慈菴 枇杷膏" -> "京都念慈菴 蜜炼川贝枇杷膏"): a brand and a shortened product
        name. None when no product or more than one does."""
        words = [w for w in _WORD.findall(query.lower()) if len(w) >= 2 and not _NUMBER.fullmatch(w)]
        if len(words) < 2 or not all(_LETTERS.search(w) for w in words):
            return None
        found = {
            product.id: product
            for name, product in self._names.items()
            if all(w in name.lower() for w in words)
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _device(self, query: str, term_kind: str) -> Product | None:
        """A device or non-medicine (no active ingredient) whose name holds every word of the query."""
        if term_kind in _MEDICINE_KINDS:
            return None
        for product in self._by_id.values():  # products in id order
            if is_device_match(query, product):
                return product
        return None

    def ids(self) -> list[str]:
        """Every product id, sorted."""
        return sorted(self._by_id)

    def get(self, medicine_id: str) -> Product | None:
        """The product with this id, or None."""
        return self._by_id.get(medicine_id)

    def resolve(self, query: str) -> Product | None:
        """The product a free-text query names, or None.

        An exact name, brand or id first; then a product of the query's single ingredient
        (preferring the strength it names); then a name that starts with the whole query and carries
        at most a dosage form after it ("co-codamol 8/500" -> "Co-codamol 8/500 tablets"); then a
        device or non-medicine whose name holds every word of the query ("创可贴" -> "创可贴 100片").
        """
        key = term_key(query)
        if key in self._by_name:
            return self._by_name[key]
        term = self._kb.medicine_term(query)
        candidates = self._by_ingredient.get(term.value, []) if term.kind == "ingredient" else []
        if not candidates:
            return self._by_prefix(query) or self._device(query, term.kind) or self._by_words(query)
        # A form the query names first ("儿童布洛芬混悬液" is not the 200 mg tablets), then a brand word it
        # names among those ("... 美林"), then the strength it names.
        candidates = prefer_form(query, candidates)
        if _form_named(query) is not None:
            words = [w for w in _WORD.findall(query.lower()) if len(w) >= 2 and _LETTERS.search(w)]
            shown = _form_named(query)
            branded = [
                p
                for p in candidates
                if shown is not None
                and _of_form(p, shown)
                and any(b.name.lower() in words or b.name.lower() in query.lower() for b in p.brands)
            ]
            candidates = branded + [p for p in candidates if p not in branded]
        wanted = {float(n) for n in _NUMBER.findall(query)}
        for product in candidates:
            if any(i.strength in wanted for i in product.ingredients):
                return product
        return candidates[0]


_IDENTITY_KINDS = frozenset({"name", "brand", "ingredient", "synonym", "pinyin", "id", "generic", "atc"})


_TEXT_KINDS = frozenset({"name", "brand", "synonym", "pinyin", "generic"})
_UNIT_WORDS = _FORM_WORDS | {"mg", "mcg", "ug", "µg", "ml", "iu", "pack", "packs", "box", "boxes"}
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]{2,}")


def _shares_a_word(query: str, product: Product) -> bool:
    """The query and the product's names have a word in common beyond numbers, units and forms."""
    names = [product.id, product.name_en, product.name_zh, product.name_ko, product.generic_name_en]
    names += [b.name for b in product.brands] + list(product.ingredient_names)
    text = " ".join(n for n in names if n).lower()
    latin = {w for w in re.findall(r"[a-z]{3,}", query.lower()) if w not in _UNIT_WORDS}
    if latin & set(re.findall(r"[a-z]{3,}", text)):
        return True
    for run in _CJK_RUN.findall(query):
        size = min(3, len(run))
        if any(run[i : i + size] in text for i in range(len(run) - size + 1)):
            return True
    return False


# What a query recognised as one of these names is a medicine: it never resolves to a device.
_MEDICINE_KINDS = frozenset({"ingredient", "combination", "class"})


def _name_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if _LETTERS.search(w)}


def is_device_match(query: str, product: Product) -> bool:
    """A product with no active ingredient (a device or non-medicine: plasters, masks, tests, condoms)
    one of whose names holds every word of the query beyond numbers, units and pack words
    ("创可贴" -> "创可贴 100片", "COVID test" -> "COVID-19 rapid antigen self-test, 1 test")."""
    if product.ingredients:
        return False
    words = {w.replace(".", "").replace("/", "") for w in _name_words(query)} - _UNIT_WORDS
    if not words:
        return False
    names = [product.name_en, product.name_zh, product.name_ko, product.generic_name_en]
    names += [b.name for b in product.brands]
    for name in names:
        if not name:
            continue
        have = {w.replace(".", "").replace("/", "") for w in _name_words(name)}
        have |= {h for w in have for h in w.split("-")}
        if words <= have:
            return True
    return False


def pick_hit(kb: KnowledgeBase, query: str, hits: Sequence[tuple[Product, str]]) -> Product | None:
    """The first search hit that really is the medicine the query names, or None.

    Search is built to be forgiving (symptoms, fuzzy spelling); safety is not: a symptom match
    ("headache" -> aspirin) never counts, a fuzzy match counts only when the query names a known
    ingredient that the product contains, and whenever the query names an ingredient the product
    must contain it (for a combination brand such as "NyQuil", every one of its ingredients). Anything
    else is reported as an unknown item rather than checked as the wrong one.
    """
    term = kb.medicine_term(query)
    wanted = term.value if term.kind == "ingredient" else None
    found: list[tuple[Product, str]] = []
    for product, matched in hits:
        kind = matched.split(":", 1)[0]
        if (
            kind not in _IDENTITY_KINDS
            and term.kind not in _MEDICINE_KINDS
            and is_device_match(query, product)
        ):
            return product  # a device the search labelled a symptom match ("创可贴", "COVID test")
        if kind not in _IDENTITY_KINDS and not (kind == "fuzzy" and wanted is not None):
            continue
        if wanted is None and kind in _TEXT_KINDS and not _shares_a_word(query, product):
            continue  # "co-codamol 8/500" is not "Aspirin 500 mg tablets" because both say 500
        contains = {kb.canonical(n) for n in product.ingredient_names}
        if wanted is not None and wanted not in contains:
            continue
        if term.kind == "combination" and not term.names <= contains:
            continue  # "Tylenol PM" is not plain Tylenol: a hit must hold every ingredient
        found.append((product, matched))
    if not found:
        return None
    keys = _form_order(query, [p for p, _ in found])  # a form the query names: a hit of that form first
    found = [hit for _, _, hit in sorted(zip(keys, range(len(found)), found, strict=True))]
    first, how = found[0]
    if first.rx_class == "rx" and _names_only_the_medicine(query, how):
        # "aspirin", 阿司匹林, 아스피린 alone: the medicine as sold without a prescription when the
        # catalog has it so (aspirin 300 mg rather than the prescription-only 100 mg); a strength
        # ("aspirin 100mg") or a product's own name (阿司匹林肠溶片) names the product itself
        return next((p for p, m in found if p.rx_class != "rx" and _same_kind(m, how)), first)
    return first


def _names_only_the_medicine(query: str, matched: str) -> bool:
    """The query is an ingredient's name alone: matched as that ingredient, or as a brand that is the
    query itself, with no strength."""
    if any(ch.isdigit() for ch in query):
        return False
    kind, _, rest = matched.partition(":")
    said = rest.split("→", 1)[0].strip().lower()
    return kind == "ingredient" or (kind == "brand" and said == query.strip().lower())


def _same_kind(a: str, b: str) -> bool:
    """Two hits matched the same way (the same ingredient, or the same brand word)."""
    return a.split("→", 1)[0] == b.split("→", 1)[0]


def catalog_ports() -> tuple[Callable[[str], Product | None], Callable[[str], Product | None]]:
    """``resolve`` and ``get`` over the live catalog search, or over the shipped product files.

    Uses ``medrush.catalog.search`` / ``get_product`` when the catalog package provides them;
    otherwise reads ``data/catalog/products/*.yaml`` and matches names and ingredients exactly.
    """
    try:
        from medrush import catalog
        from medrush.kernel.errors import NotFound

        search = catalog.search
        get_product = catalog.get_product
    except (ImportError, AttributeError):
        from medrush.catalog import load_product_files
        from medrush.kernel.paths import data_dir

        folder = data_dir() / "catalog" / "products"
        ports = ProductListPorts(load_product_files(folder) if folder.is_dir() else [])
        return ports.resolve, ports.get

    kb = load_knowledge_base()

    def resolve(query: str) -> Product | None:
        return pick_hit(kb, query, [(h.product, h.matched) for h in search(query, limit=5)])

    def get(medicine_id: str) -> Product | None:
        try:
            return get_product(medicine_id)
        except NotFound:
            return None

    return resolve, get
