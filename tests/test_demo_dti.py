"""The DTI years of the demo input (data/, written by scripts/dti_demo.py) through a real
materialisation of every asset: every figure issue-published for DTI 2020 and 2022 comes
out exactly (index to 4 decimals, rank), pillars and main indicators too, ministries ranked
per peer group, and Thừa Thiên Huế's own nested DTI with its caps and N/A (DOMAIN.md)."""

from decimal import Decimal as D

from conftest import query

MAIN_2022 = ("NT", "TC", "HT", "NL", "ATTT", "HD_CQS", "HD_KTS", "HD_XHS")
# dti.gov.vn, "xếp hạng 2022": main-indicator values in MAIN_2022's order, DTI, rank
PUBLISHED_2022 = {
    "48": ("1.0000 .9000 .8253 .8487 .7578 .8575 .7836 .5197", "0.8002", 1),  # Đà Nẵng
    "79": (".8917 .9000 .8258 .6267 .5580 .8406 .7611 .3590", "0.7163", 2),  # TP.HCM
    "22": (".9581 .9000 .7648 .6250 .5382 .8385 .5904 .4505", "0.7024", 3),  # Quảng Ninh
    "46": (".9500 .9000 .6823 .6794 .6423 .8262 .6787 .3001", "0.6975", 4),  # Thừa Thiên Huế
    "92": (".9000 .8000 .7233 .7376 .7226 .7325 .7556 .2947", "0.6924", 5),  # Cần Thơ
}


def ranking(published, year, unit_type="province", peer_group=None):
    rows = query(
        published,
        """select unit_code, index, rank, rating, peer_group from national_ranking
           where year = $year and unit_type = $unit_type""",
        {"year": year, "unit_type": unit_type},
    )
    return {code: (index, rank) for code, index, rank, rating, group in rows
            if peer_group is None or group == peer_group}


def test_dti_2022_top_five_with_their_main_indicators(published):
    r = ranking(published, 2022)
    assert len(r) == 63
    for code, (values, dti, rank) in PUBLISHED_2022.items():
        assert r[code] == (D(dti), rank), code
        indices = dict(query(
            published,
            """select criterion_code, index from national_category_scores
               where year = 2022 and unit_code = $code and level = 1""",
            {"code": code},
        ))
        assert tuple(indices[c] for c in MAIN_2022) == tuple(D(v) for v in values.split()), code


def test_dti_2022_ties_share_a_rank_and_the_next_is_skipped(published):
    r = ranking(published, 2022)
    assert r["38"][1] == r["15"][1] == 15  # Thanh Hóa and Yên Bái: the same exact index
    assert sorted(rank for _, rank in r.values()).count(16) == 0
    assert r["01"][1] == 24 and r["06"][1] == 63


def test_dti_2022_has_no_ratings_and_every_level_scored(published):
    assert query(published, "select count(*) from national_ranking where year = 2022 and rating is not null") == [(0,)]
    levels = dict(query(
        published,
        "select level, count(distinct criterion_code) from national_category_scores where year = 2022 group by level"))
    assert levels[1] == 8 and set(levels) == {1, 2, 3}
    # the children of a main indicator sum to it (none capped in 2022): one unit, NT
    (total,), = query(published, "select score from national_category_scores where year = 2022 and unit_code = '48' and criterion_code = 'NT'")
    (children,), = query(published, """select sum(score) from national_category_scores
                                      where year = 2022 and unit_code = '48' and parent_criterion_code = 'NT'""")
    assert total == children == 100


def test_dti_2022_pillars_overlap_and_follow_the_spec(published):
    """A pillar's index is the sum of its member scores over the sum of their maxima: the
    five foundation indicators count in all three pillars."""
    scores = dict(query(published, """select criterion_code, score from national_category_scores
                                      where year = 2022 and unit_code = '48' and level = 1"""))
    pillars = {code: (score, maximum, index) for code, score, maximum, index in query(
        published, """select pillar_code, score, max_applicable, index from national_pillar_scores
                      where year = 2022 and unit_code = '48'""")}
    foundation = sum(scores[c] for c in ("NT", "TC", "HT", "NL", "ATTT"))
    for pillar, activity, maximum in (("CQS", "HD_CQS", 700), ("KTS", "HD_KTS", 650), ("XHS", "HD_XHS", 650)):
        score = foundation + scores[activity]
        assert pillars[pillar] == (score, maximum, (score / maximum).quantize(D("0.0001"))), pillar


def test_dti_2020_provinces(published):
    r = ranking(published, 2020)
    assert r["48"] == (D("0.4874"), 1)  # Đà Nẵng
    assert r["27"] == (D("0.4096"), 3)  # Bắc Ninh
    assert r["30"] == (D("0.3504"), 14)  # Hải Dương
    pillars = {code: (index, rank) for code, index, rank in query(
        published, "select pillar_code, index, rank from national_pillar_scores where year = 2020 and unit_code = '27'")}
    assert {code: index for code, (index, _) in pillars.items()} == {
        "CQS": D("0.4449"), "KTS": D("0.3668"), "XHS": D("0.4052")}
    assert all(rank is not None for _, rank in pillars.values())
    assert query(published, """select avg_index, unit_count from national_category_averages
                               where year = 2020 and unit_type = 'province' and criterion_code = 'overall'""") \
        == [(D("0.3026"), 63)]


def test_dti_2020_ministries_are_ranked_per_peer_group(published):
    with_services = ranking(published, 2020, "ministry", "co-dvc")
    without = ranking(published, 2020, "ministry", "khong-dvc")
    assert len(with_services) == 17 and len(without) == 8
    assert {code: with_services[code] for code in ("BTC", "NHNN", "BKHDT", "BHXH", "BYT")} == {
        "BTC": (D("0.4944"), 1), "NHNN": (D("0.4932"), 2), "BKHDT": (D("0.4701"), 3),
        "BHXH": (D("0.4643"), 4), "BYT": (D("0.4582"), 5)}
    assert without["DTHVN"] == (D("0.2995"), 1)  # ranks restart in the other group
    (maximum,), = query(published, "select distinct max_applicable from national_ranking where year = 2020 and peer_group = 'khong-dvc'")
    assert maximum == 800  # no public-services indicator in their framework
    groups = query(published, """select peer_group, unit_count from national_category_averages
                                 where year = 2020 and unit_type = 'ministry' and criterion_code = 'overall'
                                 order by peer_group""")
    assert groups == [("co-dvc", 17), ("khong-dvc", 8)]


def test_thua_thien_hue_2023_nested_caps_and_not_applicable(published):
    rows = {code: tuple(rest) for code, *rest in query(
        published,
        """select unit_code, unit_type, total_score, max_applicable, index, rating, rank
           from provincial_ranking where year = 2023 and province_code = '46'""")}
    # HD.2 (online public services) N/A for Thanh tra and Ban Dân tộc: HD's max 400 → 240
    for code in ("46.TTT", "46.BDT"):
        assert rows[code][2] == 840, code
        hd = query(published, """select applicable, max_score, max_applicable from provincial_criterion_scores
                                 where year = 2023 and unit_code = $code and criterion_code in ('HD', 'HD.2')
                                 order by level""", {"code": code})
        assert hd == [(True, 400, 240), (False, 160, 0)], code
    # Sở TT&TT sent 55 in HT.2, whose criteria add up to 55 for a max of 50: capped before HT sums
    (ht2,), = query(published, """select score from provincial_criterion_scores
                                 where year = 2023 and unit_code = '46.STTTT' and criterion_code = 'HT.2'""")
    assert ht2 == 50
    assert rows["46.STTTT"][4:] == ("Tốt", 1) and rows["46.STTTT"][3] == D("0.9045")
    departments = [r for r in rows.values() if r[0] == "department"]
    communes = [r for r in rows.values() if r[0] == "commune"]
    assert len(departments) == 20 and len(communes) == 14
    assert {r[5] for r in communes if r[4] == "Tốt"} == {1, 2, 3}
    shares = query(published, """select unit_type, rating, unit_count from provincial_rating_distribution
                                 where year = 2023 order by unit_type, band_order""")
    assert shares == [("commune", "Tốt", 3), ("commune", "Khá", 6), ("commune", "Trung bình", 4),
                      ("commune", "Yếu", 1), ("department", "Tốt", 6), ("department", "Khá", 10),
                      ("department", "Trung bình", 4), ("department", "Yếu", 0)]
    assert query(published, """select count(distinct pillar_code), count(*) from provincial_pillar_scores
                               where year = 2023 and unit_type = 'commune'""") == [(3, 42)]


def test_frameworks_without_bands_have_no_rating_distribution(published):
    assert query(published, "select count(*) from provincial_rating_distribution where year in (2020, 2022)") == [(0,)]
