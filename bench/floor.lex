# SPDX-License-Identifier: MIT
#
# scripts/bench's one-rule lexicon: the eight categories and a single rule
# that the bench corpus never contains. Analyze and replay with it measure
# what every post costs before the lexicon's rules do (reading, JSON,
# normalization, language, brands, one prefilter scan, writing): the
# pipeline's floor, to set against the full lexicon's figures.

threshold 1.0
category misrepresentation
category hidden_fees
category bait_and_switch
category pressure_tactics
category fake_discount
category unauthorized_charges
category forced_addons
category cancellation_trap
regex  floor.only misrepresentation 1.0 /\bsold me a counterfeit warranty\b/
