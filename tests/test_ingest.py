"""Readers, cleaning rules and metadata, on the seeds and on inputs written for the tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from akhbar.ingest.clean import clean, load_rules
from akhbar.ingest.readers import RawDoc, read_file
from akhbar.pipeline import IngestReport, ingest_paths
from tests.conftest import need_shared


def _clean_text(text: str, **kw):
    return clean(RawDoc(text, "txt", "t", "t.txt", **kw))


def test_seed_cleaning_matches_gold(seeds_dir):
    gold_dir = need_shared("gold", "seeds")
    gold = {json.loads(ln)["doc"]: json.loads(ln) for ln in (gold_dir / "articles.jsonl").read_text().splitlines()}
    for path in sorted(seeds_dir.glob("*.txt")):
        article = next(iter(read_file(path))) and clean(next(iter(read_file(path))))
        g = gold[path.stem]
        assert article.headline == g["headline"]
        assert (article.published.isoformat() if article.published else None) == g["published"]
        body = set(article.body.split("\n"))
        for line in g["boilerplate"]:
            assert line not in body
        assert {c.casefold() for c in g["credits"]} <= {c.casefold() for c in article.credits}


def test_caption_and_credit_lines_are_dropped_and_credited():
    a = _clean_text("سرخی یہاں\n\n،تصویر کا ذریعہGetty Images\n،تصویر کا کیپشنکوئی کیپشن\nاصل خبر کا جملہ ہے۔")
    assert a.body == "اصل خبر کا جملہ ہے۔"
    assert a.credits == ["Getty Images"]
    assert {r.rule for r in a.removed} == {"image_credit", "image_caption"}


def test_photo_suffix_read_more_and_social_footer():
    text = (
        "سرخی\nوزیر اعظم نے خطاب کیا---فوٹو: اے ایف پی\nمزید پڑھیں: ایک اور خبر\n"
        "پہلا جملہ ہے۔\nFollow us: Facebook, Twitter\nتبصرے (3) بند ہیں"
    )
    a = _clean_text(text)
    assert a.body == "پہلا جملہ ہے۔"
    assert "اے ایف پی" in a.credits


def test_repeated_headline_and_duplicate_paragraph_removed_once():
    para = "یہ ایک طویل پیراگراف ہے جو دو بار چھپ گیا ہے۔"
    a = _clean_text(f"سرخی کی لائن\nسرخی کی لائن\n{para}\n{para}\nآخری جملہ۔")
    assert a.body.split("\n") == [para, "آخری جملہ۔"]
    assert [r.rule for r in a.removed] == ["repeated_headline", "duplicate_paragraph"]


def test_short_latin_fragments_dropped_but_body_latin_kept():
    a = _clean_text("سرخی\nion.\nروس نے Reuters کو بتایا کہ بات چیت جاری ہے۔")
    assert a.body == "روس نے Reuters کو بتایا کہ بات چیت جاری ہے۔"
    assert "Reuters" in a.credits


def test_date_line_sets_published_and_no_date_is_invented():
    a = _clean_text("سرخی\n۱۵ مارچ ۲۰۲۳ء\nخبر کا متن 12 جنوری 2022 کو ہونے والے اجلاس کے بارے میں ہے۔")
    assert a.published == dt.date(2023, 3, 15)
    b = _clean_text("سرخی\nخبر کا متن 12 جنوری 2022 کو ہونے والے اجلاس کے بارے میں ہے۔")
    assert b.published is None


def test_noise_rules_are_valid_data():
    rules = load_rules()
    assert len({r.name for r in rules.rules}) >= 10
    assert all(r.pattern.pattern for r in rules.rules)
    assert len(rules.agencies) > 20


def test_html_page_through_trafilatura(tmp_path):
    html = (
        "<html lang=ur><head><title>روس اور امریکہ میں مذاکرات</title>"
        '<meta property="article:published_time" content="2015-09-18"></head><body><nav>صفحہ اول</nav>'
        "<article><h1>روس اور امریکہ میں مذاکرات</h1><p>پینٹاگون حکام کے مطابق امریکہ اور روس نے شام کے مسئلے پر"
        " مذاکرات کیے ہیں۔ دونوں ممالک کے درمیان ایک سال کے بعد بات چیت ہوئی ہے۔</p><p>مزید پڑھیں: کچھ اور</p>"
        "<p>امریکی وزیر دفاع نے اپنے روسی ہم منصب کے ساتھ ملاقات کی ہے اور دونوں نے تعاون پر بات کی۔</p></article>"
        "</body></html>"
    )
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    a = clean(next(iter(read_file(page))))
    assert a.headline == "روس اور امریکہ میں مذاکرات"
    assert a.published == dt.date(2015, 9, 18)
    assert "مزید پڑھیں" not in a.body and "ملاقات" in a.body


def test_jsonl_records_keep_metadata(tmp_path):
    f = tmp_path / "export.jsonl"
    rec = {"id": "x1", "text": "سرخی\nروس نے مذاکرات کیے۔", "url": "https://www.bbc.com/urdu/world-1",
           "published": "2015-09-18"}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n\n", encoding="utf-8")
    docs = list(read_file(f))
    a = clean(docs[0])
    assert (a.source_id, a.outlet, a.published) == ("x1", "BBC Urdu", dt.date(2015, 9, 18))


def test_feed_entries_become_articles(tmp_path):
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>DW Urdu</title>'
        "<item><title>پوٹن اور اسد کی ملاقات</title><link>https://www.dw.com/ur/a-1</link>"
        "<pubDate>Wed, 15 Mar 2023 10:00:00 GMT</pubDate>"
        "<description>&lt;p&gt;روسی صدر اور شامی صدر کے درمیان بدھ کو ماسکو میں ملاقات ہوئی۔ دونوں رہنماؤں نے"
        " تعاون پر بات کی اور مشترکہ بیان جاری کیا۔&lt;/p&gt;</description></item></channel></rss>",
        encoding="utf-8",
    )
    a = clean(next(iter(read_file(feed))))
    assert a.headline == "پوٹن اور اسد کی ملاقات"
    assert a.published == dt.date(2023, 3, 15)
    assert a.outlet == "DW Urdu" and "ماسکو" in a.body


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(html.encode()), http_headers=headers)
            )


PAGE = (
    "<html><head><title>سرخی {n}</title></head><body><article><p>یہ خبر نمبر {n} ہے اور اس میں روس اور امریکہ کے"
    " درمیان مذاکرات کا ذکر ہے۔ دونوں ممالک نے بات چیت جاری رکھنے پر اتفاق کیا۔</p></article></body></html>"
)


def test_warc_responses_are_read(tmp_path):
    path = tmp_path / "crawl.warc"
    _warc(path, [(f"https://www.express.pk/story/{n}", PAGE.format(n=n)) for n in (1, 2)])
    docs = list(read_file(path))
    assert [d.url for d in docs] == ["https://www.express.pk/story/1", "https://www.express.pk/story/2"]
    assert clean(docs[0]).outlet == "Express"


# -- malformed input: a clear error naming the file, nothing stored is lost ---------------------

def _ingest_one(store, path: Path) -> IngestReport:
    return ingest_paths([path], store, stories=False)


@pytest.fixture
def seeded_store(store, seeds_dir):
    report = ingest_paths([seeds_dir], store, stories=False)
    assert report.added == 5
    return store


def _assert_seeds_intact(store):
    assert store.count_articles() == 5
    assert store.search("مذاکرات").total == 2


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin1.txt", "Café crème brûlée à la carte".encode("latin-1"), "not valid UTF-8"),
        ("broken.jsonl", b'{"text": oops}\n', "invalid JSON"),
        ("notext.jsonl", b'{"url": "https://x"}\n', "no non-empty 'text'"),
        ("truncated.html", b"<html><head><title>x</title></head><body><div", "no article text"),
        ("truncated.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200", "WARC"),
        ("junk.rss", b"<rss><channel><title>x</title>", "no feed entries"),
    ],
)
def test_malformed_input_is_reported_with_file_name(seeded_store, tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    report = _ingest_one(seeded_store, path)
    assert report.added == 0
    assert len(report.errors) == 1
    assert name in report.errors[0] and problem in report.errors[0]
    _assert_seeds_intact(seeded_store)


def test_windows_1256_and_utf16_urdu_are_decoded(store, tmp_path):
    text = "روس اور امریکا میں مذاکرات\nروس نے امریکا سے مذاکرات کیے۔"
    (tmp_path / "a.txt").write_bytes(text.encode("cp1256", errors="strict") if _cp1256_ok(text) else b"")
    (tmp_path / "b.txt").write_bytes(text.replace("امریکا", "روس").encode("utf-16"))
    report = ingest_paths([tmp_path], store, stories=False)
    assert report.errors == [] or all("a.txt" in e for e in report.errors)
    assert store.search("مذاکرات").total == report.added >= 1


def _cp1256_ok(text: str) -> bool:
    try:
        text.encode("cp1256")
        return True
    except UnicodeEncodeError:
        return False


def test_fifty_megabyte_file_is_refused_clearly(seeded_store, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: cheap to create
    report = _ingest_one(seeded_store, path)
    assert "huge.txt" in report.errors[0] and "MB" in report.errors[0]
    _assert_seeds_intact(seeded_store)


def test_missing_path_is_reported(store, tmp_path):
    report = ingest_paths([tmp_path / "nope"], store, stories=False)
    assert "nope" in report.errors[0] and "no such file" in report.errors[0]


def test_counter_xml_documents_are_ingested(store):
    xml = need_shared("data", "counter", "xml")
    report = ingest_paths([xml / "0001.xml", xml / "0001p.xml"], store, stories=False)
    assert report.added == 2 and report.errors == []
    a = store.get_article(store.find_ids("0001p")[0])
    assert a.headline and a.outlet and a.published is not None


@pytest.mark.parametrize("controls", [0, 4, 5, 81, 82, 200])
def test_binary_sniffing_counts_control_bytes(controls: int) -> None:
    """Text with a few stray control bytes is text; past 1% of an 8 KB sample it is binary.
    Tab, newlines and form feed never count."""
    from akhbar.ingest.decode import looks_binary

    body = ("اردو خبر\t\r\n\f".encode() * 2000)[: 8192 - controls]
    data = body + b"\x01\x1b" * (controls // 2) + b"\x07" * (controls % 2)
    assert looks_binary(data) is (controls > 81)
