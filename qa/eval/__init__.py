"""Measuring quality: retrieval (sent@k, ctx@1), answers on report questions and dialogs, and EM / F1
on SQuAD-format files."""
