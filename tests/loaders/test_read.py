"""Reading: encodings detected and recorded, format sniffed from content, bad input refused clearly."""

import io
import os

import pytest

from loaders.errors import LoaderError
from loaders.extract import extract_bytes, extract_path
from loaders.read import read_bytes

TEXT = "淮北市加快科技成果转移转化行动方案\n推进中试基地建设。(牵头单位:市科技局,配合单位:市财政局)\n"
TRAD = "淮北市加快科技成果轉移轉化行動方案\n推進中試基地建設。(牽頭單位:市科技局,配合單位:市財政局)\n"


def test_utf8():
    assert read_bytes(TEXT.encode("utf-8"), "a.txt").encoding == "utf-8"


def test_gbk_bytes_decoded():
    dec = read_bytes(TEXT.encode("gbk"), "a.txt")
    assert dec.encoding == "gb18030"
    assert dec.text == TEXT


def test_big5_bytes_decoded_as_big5():
    dec = read_bytes(TRAD.encode("big5"), "a.txt")
    assert dec.encoding == "big5"
    assert dec.text == TRAD


def test_ambiguous_legacy_decoding_is_not_silent():
    # Big5 bytes also decode as GB18030; the choice must be reported when the scores are close.
    dec = read_bytes("中文".encode("big5"), "short.txt")
    assert dec.text == "中文" or dec.warnings


def test_utf16_with_bom():
    dec = read_bytes(TEXT.encode("utf-16"), "a.txt")
    assert dec.encoding == "utf-16" and dec.text == TEXT


def test_utf16_without_bom_warns():
    dec = read_bytes(TEXT.encode("utf-16-le"), "a.txt")
    assert dec.text == TEXT and dec.warnings


def test_extraction_records_encoding():
    ex = extract_bytes(TEXT.encode("gbk"), "plan.txt")
    assert ex.document.encoding == "gb18030"
    assert ex.measures[0].lead[0].mention == "市科技局"


def test_txt_holding_html_is_parsed_as_html():
    html = ("<html><body><div><p>推进<strong>中试基地</strong>建设。</p>"
            "<p>第二段<span>内容</span>。</p></div></body></html>")
    assert read_bytes(html.encode(), "page.txt").format == "html"
    assert "推进中试基地建设。" in extract_bytes(html.encode(), "page.txt").document.text


def test_empty_file_names_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(LoaderError, match="empty.txt.*empty"):
        extract_path(path)


def test_random_bytes_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 8 + os.urandom(2048))
    with pytest.raises(LoaderError, match="noise.txt"):
        extract_path(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(LoaderError, match=r"sheet.xlsx.*unsupported file type"):
        extract_path(path)


def test_fake_pdf_refused():
    with pytest.raises(LoaderError, match="report.pdf"):
        extract_bytes("这不是PDF".encode(), "report.pdf")


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(LoaderError, match="nowhere.txt"):
        extract_path(tmp_path / "nowhere.txt")


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("推进中试基地建设。（牵头单位：市科技局，配合单位：市财政局）")
    buf = io.BytesIO()
    doc.save(buf)
    ex = extract_bytes(buf.getvalue(), "plan.docx")
    assert ex.document.encoding == "docx"
    assert [u.mention for u in ex.measures[0].lead] == ["市科技局"]


def test_a_saved_page_whose_head_is_long_is_read_as_html():
    """A page saved from a browser as .txt: doctype, then tens of thousands of characters of scripts and
    styles before the first body tag. The markup decides, not the name; its task table is read."""
    head = ("<!doctype html>\n<html lang=\"zh\">\n<head><meta charset=\"UTF-8\">"
            "<title>某某市卫生健康委关于印发实施方案的通知</title>\n")
    head += "<script>var config = {" + "\"k\": \"v\", " * 4000 + "};</script>\n"
    head += "<style>" + ".x{color:red}" * 2000 + "</style>\n"
    body = ("</head><body><div class=\"article\"><p>某某市卫生健康委关于印发实施方案的通知</p>"
            "<table><tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td></tr>"
            "<tr><td>1</td><td>推进家庭医生签约服务，扩大签约覆盖面。</td><td>市卫生健康委</td><td>市医保局</td></tr>"
            "</table></div></body></html>")
    data = (head + body).encode("utf-8")
    assert len(head) > 20000
    assert read_bytes(data, "page.txt").format == "html"
    result = extract_bytes(data, "page.txt")
    assert "<script" not in result.document.text and "color:red" not in result.document.text
    assert [([u.mention for u in m.lead], [u.mention for u in m.support]) for m in result.measures] == [
        (["市卫生健康委"], ["市医保局"])]


def test_a_content_box_holding_only_a_script_is_not_the_article():
    # A city site's page: `#content` wraps the title and a share button's script; the article sits in `.conBox`.
    share = "window._bd_share_config = {" + '"common": {"bdText": "分享"}, ' * 20 + "};"
    title = "某某市人民政府办公室关于促进房地产市场平稳健康发展的意见"
    page = (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
            f"<div id='content'><h1>{title}</h1><script>{share}</script></div>"
            "<div class='conBox'><p>各县（市、区）人民政府：</p><p>一、支持刚性住房需求。对首次购房的家庭给予补贴。</p>"
            "<p>责任单位：市住房城乡建设局、市财政局</p><p>二、优化土地供应。合理安排供地节奏。</p>"
            "<p>责任单位：市自然资源和规划局</p><p>" + "本意见自印发之日起施行。" * 10 + "</p></div></body></html>")
    ex = extract_bytes(page.encode(), "page.txt")
    assert [[u.mention for u in m.lead] for m in ex.measures] == [["市住房城乡建设局"], ["市自然资源和规划局"]]
