"""Follow-up questions made standalone (real spaCy pipeline, no index)."""
from __future__ import annotations

import pytest

from assistant.followups import PriorTurn, prior_turns, standalone_question

DENIAL = {"question": "Who denied that Musk and Putin had been in contact?", "answer": "Russia and Dmitry Peskov. [1]",
          "short_answer": "Russia and Dmitry Peskov", "speakers": ["Russia", "Dmitry Peskov"]}


def test_pronouns_take_the_previous_short_answer_and_the_pair_the_question_named():
    assert standalone_question("And what did he say about their one conversation?", [DENIAL]) == \
        "And what did Dmitry Peskov say about Musk and Putin’s one conversation?"


def test_they_takes_a_group_answer_whole():
    assert standalone_question("What did they say?", [DENIAL]) == "What did Russia and Dmitry Peskov say?"


def test_only_the_first_mention_is_named():
    history = [("Who called Brightwater Energy's solar plan rushed?", "Tom Reyes.")]
    assert standalone_question("What did he say he would do about his plan?", history) == \
        "What did Tom Reyes say he would do about his plan?"


def test_a_bare_short_answer_takes_the_kind_the_question_asked_for():
    history = [{"question": "Which company plans to build a solar farm in Nevada?", "short_answer": "Brightwater Energy"}]
    assert standalone_question("By how much did its shares rise?", history) == \
        "By how much did Brightwater Energy’s shares rise?"
    assert standalone_question("What did the company promise?", history) == "What did Brightwater Energy promise?"


def test_without_a_person_in_the_answer_he_is_the_previous_subject():
    history = [("In 2022, how many times did Musk say he had spoken to Putin?", "Once.")]
    assert standalone_question("When did he say that call had taken place?", history) == \
        "When did Musk say that call had taken place?"


def test_demonstratives_take_a_name_of_their_kind_a_report_owner_or_the_same_noun():
    assert standalone_question("According to that report, what did Putin ask?",
                               [("Which newspaper reported the calls?", "The Wall Street Journal.")]) == \
        "According to The Wall Street Journal’s report, what did Putin ask?"
    soldiers = ("What did Musk refuse to allow Ukraine to use Starlink for in 2023?",
                "A surprise attack on Russian soldiers.")
    assert standalone_question("Where were those soldiers?", [soldiers]) == "Where were the Russian soldiers?"
    assert standalone_question("In what year did Russia seize that region?",
                               [soldiers, ("Where were those soldiers?", "In Crimea.")]) == \
        "In what year did Russia seize Crimea?"


def test_ellipsis_repeats_the_previous_question_about_the_new_name():
    history = [("What did Peskov call the report?", "Absolutely false information.")]
    assert standalone_question("And the Chinese Embassy?", history) == "What did the Chinese Embassy call the report?"
    assert standalone_question("What about Bowman?", history) == "What did Bowman call the report?"
    # a chain of ellipses and pronouns, with a history that does not say what its turns were taken to mean
    chain = [("Who called Brightwater Energy's plan rushed?", "Tom Reyes."), ("What is his job?", "State senator.")]
    assert standalone_question("And Maria Duarte?", chain) == "What is Maria Duarte’s job?"


def test_a_topic_switch_inherits_nothing():
    for question in ("Who is Karoline Leavitt?", "What did the Chinese Embassy say?",
                     "And how many homes will the Nevada solar farm power?", "Is it true that Musk owns X?"):
        assert standalone_question(question, [DENIAL]) == question
    assert standalone_question("What did he say?", []) == "What did he say?"


def test_history_items_in_every_accepted_shape_and_clear_errors():
    turns = prior_turns([("q1", "a1"), ["q2", "a2"], {"question": "q3", "speakers": ["A B"]}, PriorTurn("q4")])
    assert [t.question for t in turns] == ["q1", "q2", "q3", "q4"] and turns[2].speakers == ("A B",)
    with pytest.raises(ValueError, match="history item 1 must be a \\[question, answer\\] pair"):
        prior_turns([["only a question"]])
    with pytest.raises(ValueError, match="history item 2 has no \"question\" text"):
        prior_turns([("q", "a"), {"answer": "a"}])
    with pytest.raises(ValueError, match="\"speakers\" must be a list of names"):
        prior_turns([{"question": "q", "speakers": "Peskov"}])


def test_a_speakers_title_is_not_an_antecedent_and_plural_they_prefers_two_names():
    peskov = {"question": "What did Peskov call the report?", "short_answer": "“absolutely false information”",
              "speakers": ["Kremlin spokesman Dmitry Peskov"],
              "answer": "Kremlin spokesman Dmitry Peskov on Friday rejected The Journal’s report. [1]"}
    assert standalone_question("And what did he say about their one conversation?", [DENIAL, peskov]) == \
        "And what did Dmitry Peskov say about Musk and Putin’s one conversation?"


def test_a_speaker_mislabelled_in_a_joint_short_answer_is_still_the_person_he_refers_to():
    # the small model labels "Peskov" GPE in "Russia and Peskov"; alone, as the answer's speaker, he is a PERSON
    joint = {"question": "Who denied that Musk and Putin had been in contact?", "short_answer": "Russia and Peskov",
             "speakers": ["Russia", "Peskov"],
             "answer": "Russia and Peskov. [1][2] “After that, Musk had no contacts with Putin,” Peskov said. [2]"}
    assert standalone_question("What did he call the report?", [joint]) == "What did Peskov call the report?"
    assert standalone_question("What did they deny?", [joint]) == "What did Russia and Peskov deny?"


def test_a_person_whose_surname_the_model_reads_as_a_place_is_not_them():
    # "Ana Lima." gives the entity "Lima" (GPE): the label covers part of the name only, so "them" is the team
    scorer = {"question": "Who scored twice for the Riverside Hawks?", "answer": "Ana Lima.", "short_answer": "Ana Lima"}
    assert standalone_question("Who coaches them?", [scorer]) == "Who coaches the Riverside Hawks?"
    assert standalone_question("How old is she?", [scorer]) == "How old is Ana Lima?"
