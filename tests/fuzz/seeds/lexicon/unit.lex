# A small lexicon for the analyzer's unit tests (not the shipped one).
# Each rule here exists to exercise one feature; see tests/unit/test_classify.c.

threshold 1.0
negation_scope 3
experience_missing 0.5

category hidden_fees
category pressure_tactics
category unauthorized_charges
category bait_and_switch

stopwords the a an and or but to of in on at for with it is was i me my we they them
stopwords their this that not no you your he she his her be been had have has did do
stopwords so if then than there from by as are were what when which who will would

# phrases
phrase   fee.surprise      hidden_fees           1.5  surprise fee*
phrase   fee.never-told    hidden_fees           1.0  didn't tell me .. fee*
phrase   push.hard         pressure_tactics      1.2  wouldn't take no
phrase   push.scam         pressure_tactics      1.0  scammed
phrase   push.tonight      pressure_tactics      1.0  only good tonight
phrase   charge.enrolled   unauthorized_charges  2.0  enrolled me without asking
phrase   charge.billed     unauthorized_charges  1.0  billed my card
phrase   bait.classic      bait_and_switch       2.0  bait and switch
phrase   bait.addon        bait_and_switch       0.4  add-on

# regexes
regex    fee.resort        hidden_fees           1.0  /resort\s+fees?/
regex    charge.twice      unauthorized_charges  1.0  need=twice,double /(?:charged|billed)\s+(?:me\s+)?(?:twice|double)/
regex    bait.sold-out     bait_and_switch       0.7  /\bjust\s+sold\s+out\b/

# negators
negator  neg.not   not
negator  neg.no    no
negator  neg.never never
negator  neg.wasnt wasn't

# cues
cue  q.mark      question      0.2  /\?/
cue  q.really  question      0.5  really
cue  q.if        hypothetical  0.3  what if
cue  c.but       contrast      0.5  but it worked out
cue  ad.code     ad            0.1  use code
cue  news.sue    news          0.25 class action
cue  fig.cat     figurative    0.0  my cat
cue  praise.love praise        0.4  love it
cue  exp.me      experience    1.0  charged me
cue  exp.they    experience    1.0  they told me
cue  exp.my      experience    1.0  my bill
