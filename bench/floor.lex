# SPDX-License-Identifier: MIT
#
# scripts/bench's one-rule lexicon: the eight categories and a single rule
# that the bench corpus never contains. Analyze and replay with it measure
# what every post costs before the lexicon's rules do (reading, JSON,
# normalization, language, brands, one prefilter scan, writing): the
# pipeline's floor, to set against the full lexicon's figures. The
# stopwords are lexicons/en.lex's, so that the language is told as there
# (a test keeps them the same).

threshold 1.0
stopwords says said got the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she or an will my one all would there their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us is was are were been has had did does am
category misrepresentation
category hidden_fees
category bait_and_switch
category pressure_tactics
category fake_discount
category unauthorized_charges
category forced_addons
category cancellation_trap
regex  floor.only misrepresentation 1.0 /\bsold me a counterfeit warranty\b/
