"""The 2025 reform in the demo input (data/, written by scripts/reform_demo.py) through a real
materialisation: the DTI 2024 comes out as the Ministry published it on both bases, the 63
provinces as evaluated and the 34 after the reform (DOMAIN.md), and 2025 compares with the
restated ranking."""

from decimal import Decimal as D

from conftest import query

# QĐ 405/QĐ-BKHCN: the DTI 2024 on the 63 provinces, index and rank (None: not published)
AS_EVALUATED = {
    "79": (None, 1),  # TP.HCM
    "48": ("0.8335", 2),  # Đà Nẵng
    "31": (None, 3),  # Hải Phòng
    "01": ("0.8241", 4),  # Hà Nội
    "46": ("0.7951", 5),  # Thừa Thiên Huế
    "49": ("0.5803", 57),  # Quảng Nam
}
# … and restated on the 34 provinces of 2025, with the predecessors of each
RESTATED = {
    "01": ("0.8241", 1, "01"),  # Hà Nội
    "46": ("0.7951", 2, "46"),  # Huế
    "31": ("0.7857", 3, "30 | 31"),  # Hải Phòng = Hải Dương + Hải Phòng
    "79": ("0.7770", 4, "74 | 77 | 79"),  # TP.HCM = Bình Dương + Bà Rịa – Vũng Tàu + TP.HCM
    "38": (None, 5, "38"),  # Thanh Hóa
    "11": (None, 6, "11"),  # Điện Biên
    "42": (None, 7, "42"),  # Hà Tĩnh
    "48": ("0.7069", 17, "48 | 49"),  # Đà Nẵng = Đà Nẵng + Quảng Nam: (0.8335 + 0.5803) / 2
}


def test_dti_2024_on_the_63_provinces_as_evaluated(published):
    ranking = {code: (index, rank) for code, index, rank in query(
        published, "select unit_code, index, rank from national_ranking where year = 2024 and unit_type = 'province'")}
    assert len(ranking) == 63
    for code, (index, rank) in AS_EVALUATED.items():
        assert ranking[code][1] == rank, code
        if index:
            assert ranking[code][0] == D(index), code


def test_dti_2024_restated_on_the_34_provinces(published):
    restated = {code: rest for code, *rest in query(
        published, """select unit_code, index, rank, predecessor_codes from restated_ranking
                      where year = 2024 and evaluator = 'national' and unit_type = 'province'""")}
    assert len(restated) == 34
    assert sum(len(codes.split(" | ")) for _, _, codes in restated.values()) == 63  # every province once
    for code, (index, rank, predecessors) in RESTATED.items():
        assert restated[code][1:] == [rank, predecessors], code
        if index:
            assert restated[code][0] == D(index), code
    assert query(published, "select unit_name from restated_ranking where year = 2024 and unit_code = '46'") == [("Huế",)]


def test_2025_compares_with_the_restated_2024(published):
    rows = {code: rest for code, *rest in query(
        published, """select unit_code, unit_name, rank, rank_prev, rank_change, rank_prev_restated
                      from national_ranking where year = 2025 and unit_type = 'province'""")}
    assert len(rows) == 34
    name, rank, rank_prev, change, restated = rows["01"]
    assert (rank_prev, change, restated) == (1, 1 - rank, True)  # Hà Nội: 1st restated, not 4th
    assert rows["48"][2] == 17 and rows["46"][0] == "Huế"  # the name valid in 2025
    assert all(r[4] for r in rows.values())


def test_years_before_the_reform_compare_as_evaluated(published):
    # 2023 has no provinces' DTI in the demo; 2022 against 2021 nothing; 2019 against 2018 as evaluated
    assert query(published, """select count(*) from national_ranking
                               where year < 2025 and rank_prev_restated""") == [(0,)]
    assert query(published, "select distinct year from restated_ranking") == [(2024,)]
