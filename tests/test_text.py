"""Text core: folding, splitting, stop words, language id, dates."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.text import langid
from akhbar.text.dates import find_absolute_dates, parse_date
from akhbar.text.normalize import display, fold, fold_with_map
from akhbar.text.split import sentences, tokens
from akhbar.text.stopwords import is_stop, stop_words


def test_zer_and_plain_forms_fold_alike():
    assert fold("دولتِ اسلامیہ") == fold("دولت اسلامیہ")
    assert fold("وزیرِ") == fold("وزیر")


def test_arabic_code_points_fold_to_urdu_letters():
    assert fold("روسي") == fold("روسی")
    assert fold("كارٹر") == fold("کارٹر")
    assert fold("مذاكرات") == fold("مذاکرات")


def test_digit_sets_fold_to_ascii():
    assert fold("۲۸ دسمبر ۲۰۲۱") == fold("٢٨ دسمبر ٢٠٢١") == "28 دسمبر 2021"


def test_joiners_bidi_marks_and_tatweel_are_removed():
    assert fold("پا\u200cکستان\u200f") == fold("پاکستان")
    assert fold("پاکـــستان") == fold("پاکستان")


def test_hamza_composes_before_folding():
    # ي + hamza above composes to ئ (NFC) and must not become ی
    assert fold("\u064a\u0654") == "\u0626"
    assert fold("محکمۂ") == fold("محکمہ")
    assert fold("گۓ") == fold("گئے")


def test_presentation_forms_fold_to_base_letters():
    assert fold("\ufefb") == "لا"  # LAM-ALEF ligature from PDF text


def test_ye_barree_and_do_chashmi_he_stay_distinct():
    assert fold("ے") != fold("ی")
    assert fold("ھ") != fold("ہ")


def test_fold_map_points_into_original():
    text = "وزیرِ دفاع"
    key, index = fold_with_map(text)
    assert len(key) == len(index)
    assert all(text[i] == key[k] or unicodedata.combining(text[i]) == 0 for k, i in enumerate(index))
    assert text[index[key.index("دفاع")] :].startswith("دفاع")


def test_display_keeps_letters_and_diacritics():
    assert display("دولتِ\r\nاسلامیہ") == "دولتِ\nاسلامیہ"


urdu_text = st.text(
    alphabet=st.sampled_from(
        list("ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےۓئؤآأإيكهةى٠١٢۳۴0123456789 ،۔؟!\n")
        + ["\u064e", "\u064f", "\u0650", "\u0651", "\u0654", "\u0670", "\u200c", "\u200d", "\u200f", "\u0640", "\ufefb"]
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(urdu_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_is_idempotent_on_any_text(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(urdu_text)
def test_fold_never_loses_letters_or_digits(text):
    key, index = fold_with_map(text)
    kept = set(index)
    for i, ch in enumerate(text):
        if unicodedata.category(ch)[0] in "LN" and ch != "\u0640":  # tatweel is a stretcher, dropped
            assert i in kept, f"letter {ch!r} at {i} lost"


def test_sentences_split_without_space_after_full_stop():
    spans = sentences("امریکا تعاون نہیں کررہا ہے۔انھوں نے اسے غلطی قرار دیا ہے۔")
    assert [s.text for s in spans] == ["امریکا تعاون نہیں کررہا ہے۔", "انھوں نے اسے غلطی قرار دیا ہے۔"]


def test_sentences_keep_closing_quote_and_question():
    text = "ترجمان نے کہا کہ ’ہم تیار ہیں۔‘ کیا باتیں ہوئیں؟ سب ٹھیک"
    assert [s.text for s in sentences(text)] == ["ترجمان نے کہا کہ ’ہم تیار ہیں۔‘", "کیا باتیں ہوئیں؟", "سب ٹھیک"]


def test_sentence_offsets_index_the_text():
    text = "پہلا جملہ۔دوسرا جملہ!\nتیسرا"
    for s in sentences(text):
        assert text[s.start : s.end] == s.text


def test_latin_decimals_are_not_sentence_breaks():
    assert len(sentences("شرح 3.5 فیصد رہی۔ U.S. نے کہا")) == 2


def test_tokens_keep_latin_numbers_and_diacritics():
    assert tokens("سنہ 2016 میں وزیرِ دفاع Ashton Carter نے 3.5 فیصد") == [
        "سنہ", "2016", "میں", "وزیرِ", "دفاع", "Ashton", "Carter", "نے", "3.5", "فیصد"]


def test_stop_words_cover_function_words_not_event_nouns():
    assert {fold(w) for w in ["میں", "نے", "سے", "کا", "کو"]} <= stop_words()
    assert is_stop("کے") and not is_stop("شکریہ") and not is_stop("مذاکرات")


def test_langid_urdu_letter_rule_and_latin_lines():
    assert langid.detect("روس نے کہا ہے") == "ur"
    assert langid.detect("This is an English sentence about Russia.") == "en"
    assert langid.is_latin_line("Follow us: Facebook") and not langid.is_latin_line("روس Reuters")


def test_langid_tells_persian_from_urdu():
    assert langid.detect("این یک جمله فارسی است که درباره سیاست خارجی نوشته شده") == "fa"


def test_absolute_dates_with_urdu_months_and_digits():
    assert find_absolute_dates("28 دسمبر 2021") == [dt.date(2021, 12, 28)]
    assert find_absolute_dates("۱۲ جنوری ۲۰۲۲ء کو") == [dt.date(2022, 1, 12)]
    assert find_absolute_dates("سنہ 2016 کے انتخابات") == []


def test_absolute_dates_whose_year_is_joined_by_folding():
    """The no-year shortcut looks at the folded text: a joiner or ء inside the year still dates it."""
    assert find_absolute_dates("12 جنوری 20\u200c22") == [dt.date(2022, 1, 12)]
    assert find_absolute_dates("12 جنوری 202ء2") == [dt.date(2022, 1, 12)]
    assert find_absolute_dates("12 جنوری 20 22") == []


def test_relative_dates_resolve_against_base():
    base = dt.date(2017, 11, 12)  # a Sunday
    assert parse_date("سنیچر کو", base, prefer="past") == dt.date(2017, 11, 11)
    assert parse_date("گذشتہ ہفتے", base) == dt.date(2017, 11, 5)


def test_bare_year_is_not_a_date():
    assert parse_date("2021") is None


@settings(max_examples=500, deadline=None)
@given(st.one_of(urdu_text, st.text(max_size=60)))
def test_fast_fold_equals_mapped_fold(text):
    assert fold(text) == fold_with_map(text)[0]


@settings(max_examples=500, deadline=None)
@given(st.one_of(urdu_text, st.text(max_size=60)))
def test_fast_map_path_equals_general_path(text):
    from akhbar.text.normalize import _fold_with_map_slow

    assert fold_with_map(text) == _fold_with_map_slow(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(urdu_text, max_size=8).map("".join))
def test_sparse_translation_equals_str_translate(text):
    from akhbar.text.normalize import _TABLE, _TABLE_RE, _translate

    assert _translate(text, _TABLE, _TABLE_RE) == text.translate(_TABLE)


@settings(max_examples=500, deadline=None)
@given(st.one_of(urdu_text, st.text(alphabet=st.sampled_from(list("ab'’ \u064b\u0640_9.,٫") + ["ñ", "\u06dd"]), max_size=40)))
def test_word_pattern_takes_the_same_words_as_one_character_per_step(text):
    import re

    from akhbar.text.split import _MARKS, WORD_RE

    stepwise = re.compile(
        rf"\d+(?:[.,\u066b\u066c]\d+)*|(?:[^\W\d_]|[{_MARKS}])(?:[^\W_]|[{_MARKS}]|['\u2019](?=[A-Za-z]))*"
    )
    assert [m.span() for m in WORD_RE.finditer(text)] == [m.span() for m in stepwise.finditer(text)]


def test_whitespace_runs_collapse_to_one_space():
    assert fold("a \n\t b  c\u00a0d ") == "a b c d"
    assert fold_with_map(" x\n\ny ") == ("x y", [1, 2, 4])


@settings(max_examples=300, deadline=None)
@given(st.lists(urdu_text, min_size=1, max_size=4))
def test_folded_lines_join_to_the_folded_text(lines):
    """What clean relies on to reuse its per-line keys: fold never acts across a line break."""
    lines = [ln.strip() for ln in lines]
    keys = [fold(ln) for ln in lines]
    if all(keys):
        assert " ".join(keys) == fold("\n".join(lines))
