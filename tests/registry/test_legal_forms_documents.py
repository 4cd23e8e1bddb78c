"""The documents a filing must include, by form, activity and person."""

from __future__ import annotations

import dataclasses

from registry.legal_forms import FilingFacts, Requirement, required_documents

from .rule_facts import VALID, filing, person, sarl_with_two_partners


def codes(facts: FilingFacts) -> list[str]:
    return [requirement.code for requirement in required_documents(facts)]


def test_a_sarl_with_two_managers_needs_their_ids_and_sworn_statements():
    facts = sarl_with_two_partners(people=[
        person("a", "partner", "manager", "beneficial_owner", name="Awa KOFFI", shares=100,
               cash=500_000, percent="50"),
        person("b", "partner", "manager", "beneficial_owner", name="Yao MENSAH", shares=100,
               cash=500_000, percent="50"),
        person("c", "partner", name="Sans Fonction"),
    ])
    documents = required_documents(facts)
    assert [d.code for d in documents] == [
        "statuts", "justificatif_siege",
        "piece_identite:a", "declaration_non_interdiction:a",
        "piece_identite:b", "declaration_non_interdiction:b",
        "casier_judiciaire:a", "casier_judiciaire:b",
    ]
    assert [d.code for d in documents if d.later] == ["casier_judiciaire:a",
                                                      "casier_judiciaire:b"]
    assert documents[2] == Requirement("piece_identite:a", "Pièce d'identité de Awa KOFFI", "a")
    assert documents[0] == Requirement("statuts", "Statuts signés")
    assert "75 jours" in documents[-1].label
    assert "souscription_versement" not in codes(facts)


def test_an_sa_needs_the_subscription_declaration_or_deposit_certificate():
    documents = {d.code: d for d in required_documents(VALID["SA"])}
    assert documents["souscription_versement"].label == (
        "Déclaration de souscription et de versement ou certificat de dépôt des fonds"
    )
    assert "souscription_versement" in codes(VALID["SAS"])
    assert "souscription_versement" in codes(VALID["SASU"])


def test_a_legal_person_member_brings_its_rccm_extract_and_power_of_attorney():
    documents = required_documents(VALID["SA"])
    assert Requirement("extrait_rccm:h", "Extrait RCCM de Holding Kara SA", "h") in documents
    assert Requirement("pouvoir_representant:h",
                       "Pouvoir du représentant de Holding Kara SA", "h") in documents
    assert not any(d.party_ref == "c" for d in documents)  # the audit firm is no member


def test_a_regulated_activity_needs_its_authorisation():
    banking = dataclasses.replace(VALID["SARL"], activity_code="64")
    documents = {d.code: d for d in required_documents(banking)}
    assert documents["autorisation_prealable"] == Requirement(
        "autorisation_prealable",
        "Autorisation préalable pour l'activité réglementée : Activités des services "
        "financiers, hors assurances et caisses de retraite",
    )
    assert "autorisation_prealable" not in codes(VALID["SARL"])  # 62, software
    pharmacy = dataclasses.replace(VALID["SARL"], activity_code="4772")
    grocery = dataclasses.replace(VALID["SARL"], activity_code="4711")
    assert "autorisation_prealable" in codes(pharmacy)
    assert "autorisation_prealable" not in codes(grocery)


def test_the_contribution_appraiser_reports_on_large_in_kind_contributions():
    def sarl(in_kind: int, capital: int = 20_000_000) -> FilingFacts:
        return filing("SARL", [person("a", "partner", "manager", in_kind=in_kind)],
                      capital=capital)

    assert "rapport_commissaire_apports" not in codes(sarl(5_000_000))
    assert "rapport_commissaire_apports" in codes(sarl(5_000_001))
    assert "rapport_commissaire_apports" in codes(sarl(4_000_000, capital=6_000_000))
    assert "rapport_commissaire_apports" in codes(VALID["SA"])  # any in-kind in an SA
    snc = filing("SNC", [person("a", "partner", "manager", in_kind=50_000_000)])
    assert "rapport_commissaire_apports" not in codes(snc)


def test_an_ei_files_no_statutes_but_the_traders_papers():
    assert codes(VALID["EI"]) == ["justificatif_siege", "piece_identite:t",
                                  "declaration_non_interdiction:t", "casier_judiciaire:t"]


def test_traders_by_law_and_gie_contracts():
    snc = codes(VALID["SNC"])
    assert "piece_identite:b" in snc  # SNC partners are traders, managing or not
    scs = codes(VALID["SCS"])
    assert "piece_identite:g" in scs and "piece_identite:l" not in scs
    gie = required_documents(VALID["GIE"])
    assert gie[0] == Requirement("statuts", "Contrat de groupement signé")
    assert "extrait_rccm:m2" in [d.code for d in gie]
