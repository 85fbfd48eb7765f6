"""Recurring faults: made-up Finnish and English subjects with known clusters (typos, word
order, numbers, missing ä), per service; and the ranking formula by hand."""

from __future__ import annotations

import numpy as np
import pytest

from mittari.engine.recurring import cluster_texts, normalise
from mittari.engine.recurring_rank import HOUR, rank_clusters

# (service, subject, cluster name); "-" marks a subject that belongs to no cluster.
SUBJECTS = [
    ("email", "Outlook ei käynnisty", "outlook-fi"),
    ("email", "outlook ei käynnisty!", "outlook-fi"),
    ("email", "Outlok ei käynnisty", "outlook-fi"),  # typo
    ("email", "Käynnisty ei Outlook", "outlook-fi"),  # word order
    ("email", "Outlook ei kaynnisty aamulla", "outlook-fi"),  # no ä, one more word
    ("email", "Outlook does not start", "outlook-en"),
    ("email", "outlook does not start at all", "outlook-en"),
    ("email", "Outlook doesnt start", "outlook-en"),
    ("email", "Jaettu kalenteri ei näy", "-"),
    ("network", "VPN-yhteys katkeaa", "vpn-fi"),
    ("network", "VPN yhteys katkeaa", "vpn-fi"),
    ("network", "VPN-yhteys katkeilee", "vpn-fi"),
    ("network", "VPN connection drops", "vpn-en"),
    ("network", "VPN connection keeps dropping", "vpn-en"),
    ("network", "vpn connection dropped", "vpn-en"),
    ("network", "Wifi hidas neuvotteluhuoneessa", "-"),
    ("printing", "Tulostin 3 ei tulosta", "printer-fi"),  # numbers vary
    ("printing", "Tulostin 12 ei tulosta", "printer-fi"),
    ("printing", "tulostin 7 ei tulosta", "printer-fi"),
    ("printing", "Printer on floor 3 is not printing", "printer-en"),
    ("printing", "Printer not printing on floor 5", "printer-en"),
    ("printing", "Skanneri ei lähetä sähköpostia", "-"),
    ("erp", "Laskutus: virhe 404", "billing"),
    ("erp", "Laskutus: virhe 500", "billing"),
    ("erp", "Laskutus - virhe 502", "billing"),
    ("erp", "Salasana vanhentunut", "-"),
    ("email", "Salasana vanhentunut", "-"),  # the same text in another service: apart
]


def clusters_of(threshold: float = 0.5) -> dict[str, set[int]]:
    services = [s for s, _, _ in SUBJECTS]
    group = np.unique(services, return_inverse=True)[1].astype(np.int64)
    label = cluster_texts([t for _, t, _ in SUBJECTS], group, threshold)
    found: dict[int, set[int]] = {}
    for i, lab in enumerate(label):
        found.setdefault(int(lab), set()).add(i)
    return {min(v): v for v in found.values()}


def test_known_clusters_are_found_exactly() -> None:
    expected: dict[str, set[int]] = {}
    for i, (_, _, name) in enumerate(SUBJECTS):
        expected.setdefault(name if name != "-" else f"alone-{i}", set()).add(i)
    assert sorted(map(sorted, clusters_of().values())) == sorted(map(sorted, expected.values()))


def test_normalising_folds_case_marks_numbers_and_punctuation() -> None:
    assert normalise("  Tulostin 12 EI tulosta!! ") == "tulostin 0 ei tulosta"
    assert normalise("Käynnistä") == normalise("kaynnista")
    assert normalise("ＶＰＮ–yhteys") == "vpn yhteys"  # full-width letters (NFKD), dashes


def test_empty_subjects_never_join_anything() -> None:
    label = cluster_texts(["", "", "x", "Outlook ei käynnisty"], np.zeros(4, dtype=np.int64))
    assert len(set(label.tolist())) == 3  # the two empty texts are one text, nothing else


def test_a_larger_set_keeps_its_clusters_apart() -> None:
    rng = np.random.default_rng(3)
    faults = [
        "Outlook ei käynnisty",
        "VPN connection drops",
        "Tulostin 0 ei tulosta",
        "Laskutus virhe 0",
        "Teams meeting has no sound",
        "SAP login fails",
    ]
    texts, truth = [], []
    for _ in range(3000):
        k = int(rng.integers(len(faults)))
        words = faults[k].split()
        if rng.random() < 0.3:  # a typo: drop one letter of one word
            w = int(rng.integers(len(words)))
            cut = int(rng.integers(len(words[w])))
            words[w] = words[w][:cut] + words[w][cut + 1 :] or words[w]
        texts.append(" ".join(words).replace("0", str(rng.integers(1, 99))))
        truth.append(k)
    label = cluster_texts(texts, np.zeros(len(texts), dtype=np.int64))
    truth_arr = np.array(truth)
    for lab in np.unique(label):  # every cluster is pure
        assert len(np.unique(truth_arr[label == lab])) == 1
    biggest = [np.bincount(label[truth_arr == k]).max() / (truth_arr == k).sum() for k in range(6)]
    assert min(biggest) > 0.9  # and each fault is mostly in one cluster


def test_ranking_by_frequency_growth_and_lost_time() -> None:
    day = 86400 * 10**6
    at = 200 * day
    label = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])
    created = np.array([10, 20, 190, 195, 100, 101, 102, 199, 199]) * day
    lost = np.array([1, 1, 1, 1, 10, 10, 10, 1, 1]) * HOUR
    ranked = rank_clusters(label, created, lost, at, recent_us=90 * day, min_size=3)
    assert ranked.label.tolist() == [0, 1]  # cluster 2 is too small
    # cluster 0: 2 recent, 0 previous → growth 3; score 4 · 3 · (1 + ln 2)
    assert ranked.growth.tolist() == [3.0, 0.25]
    assert ranked.recent.tolist() == [2, 0] and ranked.previous.tolist() == [0, 3]
    assert ranked.score[0] == pytest.approx(4 * 3 * (1 + np.log(2)))
    assert ranked.score[1] == pytest.approx(3 * (1 / 4) * (1 + np.log(11)))
    assert ranked.lost_h.tolist() == [4.0, 30.0]
