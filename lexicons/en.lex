# SPDX-License-Identifier: MIT
#
# candor's shipped English lexicon: complaints about dishonest sales
# practices (see /work/shared/TAXONOMY.md for what counts, docs/LEXICON.md
# for this format).
#
# How the weights are meant to add up (threshold 1.0):
# - a strong phrase (one that by itself names a dishonest practice in the
#   first person: "never signed up", "refused to leave", "not as described")
#   weighs 1.0-1.3 and passes alone when the post speaks of the author's own
#   experience (any first-person cue: x1.0, a strong one: x1.15);
# - a medium phrase (0.5-0.9) needs a second rule or a strong experience cue;
# - a lone weak word ("scam", "fee", "fine print") weighs 0.2-0.4 and never
#   passes by itself;
# - without any experience cue every rule counts x0.8 (experience_missing),
#   so third-person talk about a practice needs more than one strong rule;
# - a few experience cues are boosters (x1.3: "ripped off", "I have the
#   receipt", "nobody mentioned it") and one is a brake (x0.3 / x0.65: the
#   experience is a credit-report or debt-collection dispute, not a sale);
#   of several experience cues the one farthest from 1 wins.
# Ads, news and commentary ("should be illegal", "dealers that ..."),
# figurative speech and praise scale the whole post down; questions
# and hypotheticals scale their own sentence; a contrast ("... but they
# refunded me") scales the clause before it. Negators ("no hidden fees",
# "didn't push anything") cancel the rules that start within their scope, so
# rules that carry their own negation ("never signed up", "without my
# consent") start with the negating word.
#
# Rules are written for how people complain in general, in social posts and
# in long complaint letters (redacted amounts like {$500.00} and names like
# XXXX may sit between phrase words), never for particular sentences.
# Regexes see normalized text: lowercase, straight quotes, runs of three or
# more of one letter collapsed to one ("sooo" -> "so"). Every rule regex has
# a need= list (prefilter literals, any of which occurs in every match); the
# few cues without one run only on posts where some rule matched.
# Measure changes with scripts/eval-quick.py on the "tune" split of
# tests/data/labeled.ndjson (never tune on "test").

threshold 1.0
negation_scope 4
experience_missing 0.8

category misrepresentation
category hidden_fees
category bait_and_switch
category pressure_tactics
category fake_discount
category unauthorized_charges
category forced_addons
category cancellation_trap

stopwords says said got the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she or an will my one all would there their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us is was are were been has had did does am

# ---------------------------------------------------------------------------
# Negators: a rule that starts within negation_scope words after one of these
# (and before a clause break) does not count.

negator neg.not not
negator neg.no no
negator neg.never never
negator neg.didnt didn't
negator neg.didnot did not
negator neg.wasnt wasn't
negator neg.werent weren't
negator neg.isnt isn't
negator neg.arent aren't
negator neg.doesnt doesn't
negator neg.dont don't
negator neg.hasnt hasn't
negator neg.havent haven't
negator neg.zero zero
negator neg.nothing nothing
negator neg.nobody nobody
negator neg.none none
negator neg.nor nor
negator neg.neither neither
negator neg.nope nope
negator neg.nah nah

# ---------------------------------------------------------------------------
# misrepresentation: lied about the product, its condition, coverage, speed,
# contract or terms.

phrase mis.not_as_described misrepresentation 1.2 not as described
phrase mis.not_as_advertised misrepresentation 1.2 not as advertised
phrase mis.not_as_pictured misrepresentation 1.1 not as pictured
phrase mis.not_as_promised misrepresentation 1.1 not as promised
phrase mis.not_as_represented misrepresentation 1.1 not as represented
regex  mis.not_what_advertised misrepresentation 1.1 /\b(?:not|nothing like|nowhere near|far from|isn'?t|wasn'?t) (?:what|how) (?:was |they |it was |he |she |the (?:\w+ )?(?:ad|listing|site|page|rep|seller|photos?|pictures?|mailer|flyer|contract|sign) )?(?:advertised|described|promised|pictured|shown|showed|show|sold|said|claimed|listed|looked)\b/
regex  mis.condition_quoted misrepresentation 1.0 need=",' /(?<!\w)["'](?:like new|new|brand new|mint|excellent|grade a|perfect|pristine|certified|refurbished|unused|working|clean)[^"'\n]{0,15}["'](?!\w).{0,100}?\b(?:stain\w*|scratch\w*|dent\w*|crack\w*|broken|torn|damage\w*|missing|worn|used|dead|leak\w*|rust\w*|mold\w*|smell\w*|doesn'?t work|didn'?t work|not working|defect\w*|chipped|ripped)\b/
regex  mis.even_though_says misrepresentation 0.6 need=though /\beven though (?:the |my |their |our )?(?:receipt|policy|site|website|sign|contract|ad|listing|page|terms|label|box|email|confirmation) (?:says|said|states|stated|shows|showed|clearly)\b/
regex  mis.differs_from_listing misrepresentation 0.9 need=photo,picture,image /\b(?:photos?|pictures?|images?)\b[^.!?\n]{0,40}\b(?:of a different|from a different|not (?:of )?the (?:same|actual)|were fake|are fake|stock photos?)\b/
regex  mis.lied_to misrepresentation 1.1 /\b(?:lied|lying) (?:to (?:me|us|my|our|his|her|them)|about|right to|straight to|through (?:his|her|their) teeth)\b/
regex  mis.they_lied misrepresentation 0.6 need=lied /\b(?:he|she|they|rep|agent|salesman|salesperson|seller|dealer|dealership|company|store|staff|manager|guy|lady|woman)\b[^.!?\n]{0,15}\b(?:lied|flat out lied|outright lied)\b/
regex  mis.they_lie misrepresentation 0.8 need=lie /\b(?:they|hosts?|reps?|sellers?|dealers?|companies|you|he|she|agents?|salesmen|salespeople|people) (?:all |just |straight up |flat out )?lie\b/
regex  mis.no_such misrepresentation 0.8 need=such /\bno such (?:increase|thing|policy|fee|requirement|rule|law|program|plan|promotion|offer|deal|charge|clause|discount|guarantee|warranty|option|requirement)\b/
regex  mis.thats_false misrepresentation 0.8 need=false,true,lie,bs,nonsense,untrue,made /\b(?:says?|said|confirmed|told (?:me|us)) (?:that'?s|that is|it'?s|it is|this is|that was|it was) (?:completely |totally |100% |just )?(?:false|not true|a lie|bs|nonsense|untrue|made up)\b/
regex  mis.knew_what_doing misrepresentation 0.5 need=knew /\b(?:he|she|they) (?:knew|know) (?:exactly )?what (?:he|she|they) (?:was|were|are) doing\b/
regex  mis.listing_quoted misrepresentation 0.5 need=",' /\b(?:listing|ad|site|website|description|(?<!status )(?<!tracking )page|brochure|flyer|mailer|sign|menu|package|box|label)\b[^.!?\n]{0,10}\b(?:said|says|claimed|claims|promised|promises|showed|shows|stated|states|read|reads)\b[^.!?\n]{0,5}(?<!\w)["'](?=\w)/
regex  mis.listing_updated misrepresentation 0.8 need=updated,changed,edited,removed /\b(?:listing|description|ad|page|site|website|terms|price)\b[^.!?\n]{0,20}\b(?:was|got|had been|has been|were) "?(?:updated|changed|edited|removed|quietly changed)\b/
regex  mis.lied misrepresentation 0.4 /\blied\b/
phrase mis.lies misrepresentation 0.3 lies
phrase mis.liars misrepresentation 0.5 liar*
phrase mis.lie_to_close misrepresentation 1.0 lie* to .. sale
phrase mis.misled misrepresentation 0.9 misled
regex  mis.misleading misrepresentation 0.85 /\bmislead\w*/
regex  mis.misrepresented misrepresentation 0.7 /\bmisrepresent\w*/
regex  mis.deceptive misrepresentation 0.85 need=decept,deceiv,deceit /\bdecepti\w*|\bdeceiv\w*|\bdeceit\w*/
regex  mis.deceptive_practice misrepresentation 0.6 /\b(?:deceptive|misleading) (?:business |sales |marketing |lending |advertising )?(?:practices?|tactics?|advertising|marketing|sales)\b/
regex  mis.rate_changed misrepresentation 0.6 need=rate,apr,price,payment,term,premium /\b(?:rate|apr|interest rate|price|payment|terms?|premium)\b[^.!?\n]{0,15}\b(?:was|were|had been|has been|got|would now be|is now)\b[^.!?\n]{0,10}\b(?:raised|increased|changed|hiked|jacked up|bumped|different|higher)\b/
regex  mis.would_never_have misrepresentation 0.6 need=would,been /\b(?:i|we) would (?:never|not) have (?:accepted|agreed|signed|bought|purchased|applied|proceeded|taken|opened|financed|booked|switched)\b|\bhad (?:it|this|that|they) been (?:made )?(?:clear|disclosed|explained|honest)\b/
regex  mis.never_advertised_as misrepresentation 0.6 /\bnever (?:advertised|described|disclosed|presented|marketed) (?:it|the \w+|this|that) as\b/
regex  mis.not_the_offer misrepresentation 0.7 /\b(?:was|is|wasn'?t|isn'?t) not? ?the (?:offer|deal|price|rate|terms|plan|promotion) (?:on|in|i|we|they|that|advertised|offered|promised|quoted)\b/
phrase mis.false_advertising misrepresentation 0.9 false advertis*
phrase mis.false_promises misrepresentation 0.9 false promise*
phrase mis.false_claims misrepresentation 0.6 false claim*
phrase mis.made_up misrepresentation 0.6 made up
regex  mis.made_up_numbers misrepresentation 1.0 /\b(?:made up|invented|faked|fudged|cooked|inflated|lied about) (?:the |his |her |their |all the )?(?:numbers|figures|production|savings|data|specs|estimates?|projections?|mileage|stats|reviews|history)\b/
regex  mis.not_in_contract misrepresentation 0.7 need=exist,nowhere /\b(?:doesn'?t|does not|didn'?t|did not) exist in (?:our|my|the) (?:contract|agreement|version|terms|paperwork)\b|\bnowhere (?:in|on) (?:the|my|our|their) (?:\w+ )?(?:contract|agreement|ad|paperwork|terms|listing|site|website|page|receipt|mailer|flyer|policy|app|menu|sign)\b/
regex  mis.says_otherwise misrepresentation 0.7 /\b(?:says|said|shows|showed|states|stated|reads) otherwise\b/
# the seller, after the sale, says it was something less
regex  mis.now_says misrepresentation 0.8 need=now,suddenly,later,then /\b(?:now|suddenly|later|then) (?:says?|claims?|saying|claiming|tells? (?:me|us)|told (?:me|us)|insists?|insisted)\b(?: that)?[^.!?\n]{0,15}\b(?:only|just|actually|never|not|isn'?t|wasn'?t|doesn'?t|didn'?t|a typo|a mistake)\b/
regex  mis.just_a_typo misrepresentation 0.6 need=typo,misprint,miscommunication,misunderstanding /\b(?:was|is|it'?s|that'?s|called it|calling it) (?:apparently |supposedly |just |all |only )?(?:a |an )?["']?(?:typo|misprint|miscommunication|misunderstanding)\b/
regex  mis.listing_still_says misrepresentation 0.5 /\b(?:listing|ad|site|website|(?<!status )(?<!tracking )page|brochure) still (?:says|shows|lists|advertises|claims)\b/
phrase mis.totally_made_up misrepresentation 0.9 completely made up
phrase mis.totally_made_up2 misrepresentation 0.9 totally made up
phrase mis.sold_as_new misrepresentation 1.1 sold .. as new
regex  mis.sold_as misrepresentation 0.8 /\bsold (?:it |them |me |us |this |the \w+ )?(?:to (?:me|us) )?as (?:a |an )?(?:new|brand new|certified|cpo|unused|like new|refurbished|original|genuine|authentic|one[- ]owner|accident[- ]free|clean|unlimited|waterproof)\b/
regex  mis.swore misrepresentation 0.9 need=swor,swear /\b(?:swore|sworn|swears)\b(?: up and down| to (?:me|us)| on (?:his|her) (?:life|mother))?[^.!?\n]{0,60}\b(?:the|it|that|there|this|my|our|we|i|was|had|would|never|no|\d)\b/
regex  mis.assured misrepresentation 0.4 /\b(?:assured|guaranteed|promised|insisted|swore|claimed) (?:me|us|my \w+|our \w+)\b/
regex  mis.rep_said misrepresentation 0.25 need=said,says,told,claimed,assured,promised,guaranteed,swore,stated,called,listed,advertised /\b(?:rep|representative|agent|salesman|saleswoman|salesperson|sales (?:guy|rep|person|agent|lady|engineer|team)|seller|dealer|finance (?:guy|manager)|installer|broker|advisor|lady|guy|chap|host|listing|ad|site|website|(?<!status )(?<!tracking )page|mailer|flyer|brochure|realtor|landlord|agent)\b[^.!?\n]{0,20}\b(?:said|says|told|claimed|assured|promised|guaranteed|swore|stated|called it|listed|advertised)\b/
# a promise and, within a few sentences, what it turned out to be
regex  mis.promise_then_truth misrepresentation 0.9 need=told,telling,informed,promised,assured,quoted,guaranteed,swore,claimed,insisted,advertised,said /\b(?:told (?:me|us|my \w+|him|her|them)|(?:kept )?telling (?:me|us)|(?:kept|keeps) (?:saying|insisting|assuring)|(?:(?:i|we) |(?:^|(?<=[.!?:\n] )))(?:was|were) (?:told|informed|promised|assured|quoted)|promised|assured|guaranteed|swore|claimed|insisted|advertised|(?:rep|agent|sales\w*|seller|dealer|office|guy|lady|host|broker|installer|advisor|manager|representative|they|store|shop|company|bank|site|website|listing) (?:said|told))\b.{0,220}?\b(?:turns out|turned out|(?:is|was)n'?t (?:a thing|true|real|included|covered|refundable|free)|is not (?:a thing|true|included|covered|free)|doesn'?t exist|does not exist|never (?:existed|was a|was true|been a)|was never (?:a|true|offered|included|covered|part)|not true|in reality|actually (?:it'?s|it is|it was|only|just)|it (?:does|did)(?:n'?t| not)\b|(?:does|did)(?:n'?t| not) (?:cover|include|apply)|(?:the )?(?:contract|lease|terms|fine print|agreement|policy|receipt|report|paperwork|statement|bill|invoice) (?:says|said|shows|showed|states|stated)|(?:per|according to) the (?:fine print|contract|terms|lease|agreement|paperwork)|found out|come to find out|to my surprise|claim (?:was )?denied|denied (?:the|my|our) claim|realized|reali[sz]ed|nowhere (?:in|on) (?:the|my|our)|(?:a|the) different (?:annual fee|rate|apr|card|terms|amount|price|plan|product)|(?:fee|charge|surcharge)s? on (?:the|my|our) (?:next |first )?(?:bill|statement|invoice)|there (?:was|is) a catch|(?:program|offer|promo\w*|deal|plan|policy) "?(?:ended|was discontinued|no longer (?:exists|offered|available))|(?:it|bill|price|rate|payment) (?:went up|doubled|increased|is higher|was higher)|(?:was|were|is|are) (?:all )?extra|(?:it |they )?only (?:covers?|applies|includes?|works)|(?:it|that|this)(?: i?'?s| is| was) (?:really |actually |just |only )?(?:the same|the (?:base|basic|cheap\w*|old\w*|standard)|an? (?:older|cheaper|used|refurb\w*|different|base|basic)\b)|(?:is|was) apparently|apparently (?:it'?s|it is|it was|that'?s|i|we|not|only|just|a)|(?:after|once) (?:closing|signing|(?:i|we) (?:signed|paid|moved in|closed))|(?:mechanic|shop|inspector|inspection|tech|technician|dentist|plumber|electrician|appraiser|vet)\b[^.!?\n]{0,15}\b(?:found|showed|revealed|says|said)|(?:is|are|was|were) (?:actually |really )?(?:higher|more|worse|variable|gone|smaller|slower))/
regex  mis.claimed_feature misrepresentation 0.7 need=said,told,claimed,assured,promised,swore,guaranteed /\b(?:said|told (?:me|us)|claimed|assured (?:me|us)|promised|swore|guaranteed)\b[^.!?\n]{0,40}\b(?:was|is|were|would be|had|has|included|includes|it'?s|there (?:was|were|is|are|would be))\b[^.!?\n]{0,30}\b(?:included|unlimited|refundable|fully refundable|covered|locked|guaranteed|free|no (?:charge|fee|fees|cost|caps?|contract|commitment|limit|limits)|nothing extra|no contract|nonstop|direct|waterproof|renewable|all locations|all clubs|symmetric|clean title|one owner|never been in an accident|no accidents|fixed rate|fixed|price for life|brand new|new)\b/
regex  mis.vehicle_history misrepresentation 1.0 need=title,accident,owner,certified,cpo,inspected /\b(?:clean title|no accidents?|never been in (?:an|any) accidents?|accident[- ]free|one[- ]owner|single[- ]owner|certified pre[- ]?owned|cpo|inspected)\b.{0,160}?\b(?:salvage|rebuilt|rebuild|frame (?:damage|repair)|flood(?:ed)? (?:car|damage|title)|rental (?:fleet|car|history)|fleet car|(?:two|three|four|2|3|4) (?:owners|accidents)|carfax|autocheck|history report|no (?:inspection|report))\b/
regex  mis.history_report misrepresentation 0.6 need=carfax,autocheck,history /\b(?:carfax|autocheck|history report|vehicle history)\b[^.!?\n]{0,40}\b(?:says|shows|showed|said|revealed|lists)\b/
regex  mis.terms_changed misrepresentation 0.8 /\b(?:changed|switched|moved) (?:the |my |our )?(?:terms|rate|price|deal|contract|plan)\b[^.!?\n]{0,40}\b(?:after|once|mid|without)\b/
regex  mis.quietly_edited misrepresentation 0.8 /\b(?:quietly|silently|secretly) (?:edited|changed|removed|updated|reworded)\b/
phrase mis.fine_print misrepresentation 0.3 fine print
phrase mis.bait_language misrepresentation 0.4 marketing language
regex  mis.not_covered misrepresentation 0.5 /\b(?:it|the policy|the plan|the warranty|insurance)\b[^.!?\n]{0,10}\b(?:does not|doesn'?t|didn'?t|did not|won'?t) (?:cover|include|apply)\b/
regex  mis.wrote_it_down misrepresentation 0.5 /\b(?:i|we) (?:asked|checked|confirmed|double[- ]checked) (?:\w+ )?(?:twice|specifically|explicitly|three times|again|point blank|directly|before signing|in writing)\b/
# a claim in quotes ("listed as 'beachfront'"), then what it really is
regex  mis.listed_as_quoted misrepresentation 0.6 need=listed,advertised,described,sold,marketed,called,billed,labeled,labelled /\b(?:listed|advertised|described|sold|marketed|called|billed|labell?ed)\b[^.!?\n]{0,40}\bas ["'][^"'\n]{2,40}["'].{0,160}?\b(?:it is|it'?s|it was|actually|really|in reality|turns out|turned out|just|only|not|isn'?t|wasn'?t|says|said|shows|zero|none|nothing|nowhere)\b/
# the label, tag or system information says otherwise
regex  mis.label_says misrepresentation 0.45 need=tag,label,sticker,system,spec,manual,packaging,serial,box,carfax,receipt /\b(?:the |a |its )?(?:tag|label|sticker|system info\w*|spec sheet|manual|packaging|serial number|carfax|box)\b[^.!?\n]{0,25}\b(?:says|said|shows|showed|reads|read|lists|listed)\b/
regex  mis.was_promised misrepresentation 0.5 need=promised,assured,guaranteed,told /(?:^|[.!?:\n] |\b(?:i|we) )(?:was|were|got|had been|'?ve been) (?:promised|assured|guaranteed)\b/
# "unlimited" that has a cap
regex  mis.unlimited_capped misrepresentation 0.8 need=unlimited /\bunlimited\b.{0,100}?\b(?:cap|capped|caps|throttl\w*|limited to|slowed (?:down )?to|after \d+ ?gb|(?:\d+|a) ?gb (?:cap|limit))\b/
regex  mis.literally_said misrepresentation 0.5 need=literally,specifically,explicitly,clearly,directly /\b(?:literally|specifically|explicitly|clearly|directly) (?:said|told (?:me|us)|promised|stated|wrote)\b/
regex  mis.they_knew misrepresentation 0.5 need=knew /\b(?:he|she|they|the \w+) (?:knew|had to know|must have known)\b[^.!?\n]{0,30}\b(?:it|the|that|about)\b/
regex  mis.doesnt_exist misrepresentation 0.6 need=exist /\b(?:doesn'?t|does not|didn'?t|did not) (?:even |actually )?exist\b/
regex  mis.never_heard_of misrepresentation 0.5 need=heard /\bnever (?:even )?heard of (?:it|this|that|the|any|such)\b/
regex  mis.free_wasnt misrepresentation 0.6 need=free /(?<!\w)["']free\b[^"'\n]{0,25}["'](?!\w).{0,80}?(?:\b(?:costs?|charged|charges|paid|billed|fee|bill|extra)\b|[$£€]\d)/
regex  mis.instead_of_promised misrepresentation 0.8 need=instead /\binstead of (?:the |my |our )?[$£€]?\d[^.!?\n]{0,40}\b(?:promised|quoted|advertised|agreed|listed|offered|they (?:said|told))\b/
regex  mis.second_opinion misrepresentation 0.8 need=opinion,another,other,mechanic,dentist,electrician,plumber,contractor,roofer /\b(?:second opinion|another (?:shop|mechanic|dealer|doctor|dentist|tech)|other (?:shop|mechanic|dealer)|my (?:own |regular |usual )?(?:mechanic|dentist|electrician|plumber|contractor|roofer))\b.{0,60}?\b(?:fine|nothing wrong|not needed|didn'?t need|don'?t need|unnecessary|no problem|perfectly good|lied|made up|(?:only |just )?needed (?:a|an) [$£€]?\d+|(?:is|are|were|was) at \d+ ?%)/
regex  mis.confirmation_shows misrepresentation 0.6 need=confirmation,receipt,email,screenshot,quote,contract /\b(?:confirmation|receipt|email|screenshot|quote|contract|booking)\b[^.!?\n]{0,20}\b(?:showing|that shows|shows|says|saying|that says|clearly (?:says|shows))\b[^.!?\n]{0,20}\b(?:it'?s|it was|it is|that|they|the)\b/
phrase mis.to_my_surprise misrepresentation 0.3 to my surprise
regex  mis.made_to_understand misrepresentation 0.4 /\b(?:was|were) (?:made to understand|led to believe|given the impression)\b/
phrase mis.scam misrepresentation 0.3 scam*
phrase mis.ripoff misrepresentation 0.25 rip* off
regex  mis.advertised_terms misrepresentation 0.9 need=promo,advertised,bonus,offer,intro /\b(?:promo(?:tion(?:al)?)?|advertised|bonus|offer|introductory|intro|sign[- ]up bonus)\b.{0,160}?\b(?:never (?:got|received|applied|honou?red|credited|paid|fulfilled)|(?:did ?n[o']?t|hadn'?t|haven'?t|have not|has not|hasn'?t|had not) (?:get|gotten|receive|received|apply|applied|honou?r|credit|credited|pay|count|fulfill|fulfil)|not (?:honou?red|applied|received|given|credited|fulfilled)|refused to (?:honou?r|apply|give|credit|pay|accept)|wasn'?t (?:applied|honou?red|credited)|(?:are|were|was) (?:denied|not eligible)|no longer (?:offered|valid|available)|can(?:'?t|not) (?:locate|find) (?:the|this|my|that) (?:promo\w*|offer))\b/
regex  mis.promo_surprise misrepresentation 0.7 need=promo,interest,%,bonus,intro /\b(?:promo(?:tion(?:al)?)?|interest[- ]free|0 ?% (?:apr|interest|financing)|no interest|deferred interest|introductory (?:rate|apr|period|offer)|sign[- ]up bonus|bonus)\b.{0,320}?\b(?:to my surprise|surprised|turned out|turns out|only (?:for )?(?:\d+|twelve|six|three) months|expired? (?:early|after|before)|would expire|ended (?:early|prematurely)|cut short|found out|realized|reali[sz]ed|(?:don'?t|doesn'?t|didn'?t|did not|does not) (?:count|qualify|apply))\b/
# a claim in quotes from the seller (or its box, site, listing), then what
# it really is
regex  mis.quoted_claim_contradicted misrepresentation 0.5 need=said,says,told,swore,promised,pitched,claimed,sold,advertised,listed,showed,called,marketed,described,label,reads /\b(?:said|says|told (?:me|us|my \w+|him|her|them)|(?:was|were) told|swore|promised|pitched|claimed|sold (?:me|us|it|them|as)?|advertised|listed|showed (?:me|us)|called|marketed|described|labell?ed|(?:box|site|website|ad|listing|label|page|tag|packaging) (?:said|says|reads))\b[^.!?\n]{0,60}?(?<!\w)["'][^"'\n]{3,50}["'](?!\w).{0,200}?\b(?:turns out|turned out|in reality|in fact|actually|it'?s (?:just|only|a|an|really)|it is (?:just|only|really)|they'?re (?:just|only|really)|only (?:has|have|covers?|works?|applies|includes?|lasted)|nope|not even|that'?s not|isn'?t|wasn'?t|aren'?t|weren'?t|doesn'?t|didn'?t|never)\b/
regex  mis.quoted_claim_strong misrepresentation 0.9 need=said,says,told,swore,promised,pitched,claimed,sold,advertised,listed,showed,called,marketed,described,label,box,site,ad /\b(?:said|says|told (?:me|us|my \w+|him|her|them)|(?:was|were) told|swore|promised|pitched|claimed|sold (?:me|us|it|them|as)?|advertised|listed|showed (?:me|us)|called|marketed|described|labell?ed|(?:box|site|website|ad|listing|label|page|tag|packaging) (?:said|says|reads))\b[^.!?\n]{0,60}?(?<!\w)["'][^"'\n]{3,50}["'](?!\w).{0,200}?\b(?:turns out|turned out|in reality|in fact|actually|it'?s (?:just|only|really)|it is (?:just|only|really)|they'?re (?:just|only|really)|only (?:has|have|covers?|works?|applies|includes?|lasted)|not even|claim (?:was )?denied|denied)\b/
# what it turned out to be: a cheaper material, a copy, a used unit, a rental
regex  mis.really_is_cheaper misrepresentation 0.8 need=veneer,plastic,particle,mdf,fake,knock,counterfeit,replica,used,refurb,repackag,second,rental,rented,leased,polyester,laminate,copy,generic,store,chipboard,vinyl,plated,imitation /\b(?:it'?s|it is|they'?re|they are|is|was|are|were|turned out to be|turns out to be) (?:actually |really |just |literally |only |clearly |obviously )+(?:a |an )?(?:cheap )?(?:veneer|plastic|particle ?board|mdf|chipboard|fake|knock[- ]?offs?|counterfeit|replicas?|used|refurbished|repackaged|second[- ]?hand|a rental|rental|rented|leased|polyester|laminate|copies|a copy|generic|store[- ]brand|vinyl|plated|imitation)\b/
# the seller's words thrown back: "that's not 'a little'", "so much for 'no fees'"
regex  mis.quote_echo misrepresentation 0.5 need=not,much,no /\b(?:that'?s|that is|this is|which is|thats|it'?s|it is) not (?:exactly |really |what i'?d call )?["'](?=\w)|\bso much for ["'](?=\w)|\bthere (?:was|is|were) (?:never )?no ["'](?=\w)/
# a promo or locked price, then the bill at the regular rate
regex  mis.locked_then_regular misrepresentation 1.0 need=promo,lock,guarantee,intro,fixed,months,years /\b(?:promo\w*|locked|price lock|guarantee\w*|intro\w*|fixed|for (?:\d+|twelve|six|two|three) (?:months|years))\b.{0,200}?\b(?:bill|statement|invoice|charged|charging|billed|billing|back to|now)\b[^.!?\n]{0,20}\b(?:the )?(?:regular|full|standard|normal|non[- ]?promo\w*|undiscounted|list) (?:price|rate|amount)\b/
# a claim the seller made, contradicted in a word: "There hadn't." "(it didn't)"
regex  mis.short_denial misrepresentation 0.4 need=didn,hadn,wasn,weren,isn,hasn,never,not /(?:^|[.!(]\s*|\(\s*)(?:it|there|they|he|she|that|which) (?:didn'?t|hadn'?t|wasn'?t|weren'?t|isn'?t|hasn'?t|never did|never was|was not|did not|had not)\s*(?:[.!)]|$)/
regex  mis.told_then_denied misrepresentation 0.9 need=didn,hadn,wasn,weren,isn,hasn,never,not /\b(?:told|said|claimed|swore|warned|insisted|promised|assured)\b(?: (?:me|us|my \w+|her|him|them))?\b.{0,120}?(?:[.!(]\s*|\(\s*)(?:it|there|they|he|she|that|which) (?:didn'?t|hadn'?t|wasn'?t|weren'?t|isn'?t|hasn'?t|never did|never was|was not|did not|had not)\s*(?:[.!)]|$)/
# a marketing word redefined after the sale: "'lifetime' apparently means ..."
regex  mis.term_redefined misrepresentation 1.0 need=means,mean,technically /(?<!\w)["'][^"'\n]{2,30}["'](?:\s+\S+){0,5}?\s+(?:apparently|actually|really|technically|now|just|which|that|only|secretly)\s+means?\b|\b(?:by|with) ["'][^"'\n]{2,30}["'] they mean\b|\btechnically ["'](?=\w)/
# "I thought I was paying for the visit": the buyer was led to believe another deal
regex  mis.thought_i_was misrepresentation 0.7 need=thought,believed,assumed /\b(?:i|we|she|he) (?:thought|believed|assumed) (?:i|we|she|he) (?:was|were) (?:only )?(?:paying|signing|buying|agreeing|getting|booking|ordering|renting|leasing)\b/
# sold as new or like new, and it is worn, broken or missing parts
regex  mis.condition_claimed misrepresentation 1.0 need=sold,listed,advertised,described,marketed /\b(?:sold|listed|advertised|described|marketed)\b (?:\w+ )?as (?:a |an )?(?:new|brand new|like new|mint|excellent|perfect|certified|working|clean|unused|grade a)\b.{0,100}?\b(?:dead|worn|broken|cracked|scratch\w*|dent\w*|stain\w*|damage\w*|missing|defect\w*|doesn'?t work|not working|leak\w*|rust\w*|chipped|torn)\b/
# "the listing said 2 bedrooms, it's a 1 bedroom": the claim and the reality side by side
regex  mis.said_its_really misrepresentation 0.8 need=said,says,claimed,promised,showed,listed,advertised /\b(?:listing|ad|site|website|description|page|rep|seller|salesman|agent|they|he|she|photos?|pictures?)\b[^.!?\n]{0,10}\b(?:said|says|claimed|promised|showed|listed|advertised)\b[^.!?\n]{0,40}[,;.]\s*(?:but |and )?(?:it'?s|it is|it was|they'?re|they were) (?:(?:actually|really|just|only|more like|closer to)\b|(?:a |an )?\d)/

# ---------------------------------------------------------------------------
# hidden_fees: fees that were not disclosed before the purchase.

regex  hid.hidden_fee hidden_fees 1.2 /\bhidden (?:fees?|charges?|surcharges?|costs?)\b/
regex  hid.junk_fee hidden_fees 1.1 /\bjunk (?:fees?|charges?|surcharges?)\b/
regex  hid.surprise_fee hidden_fees 1.0 /\b(?:surprise|mystery|secret|bogus|sneaky|random) (?:fees?|charges?|surcharges?)\b/
phrase hid.undisclosed hidden_fees 1.0 undisclosed
phrase hid.drip_pricing hidden_fees 0.9 drip pricing
regex  hid.unexpected_fee hidden_fees 1.0 /\bunexpected (?:fees?|charges?|surcharges?|costs?)\b/
phrase hid.unexpected_interest hidden_fees 0.8 unexpected interest
regex  hid.resort_fee hidden_fees 0.6 /\b(?:resort|destination|amenity|urban) fees?\b/
# a fee and, near it, that nobody said so
regex  hid.fee_not_disclosed hidden_fees 1.2 need=fee,surcharge,charge,rider,interest,cost,add,extra /\b(?:fees?|surcharges?|charges?|riders?|interest|costs?|add[- ]?ons?|extras?)\b.{0,100}?\b(?:never (?:mentioned|disclosed|told|said|brought up|explained|shown|showed|listed|included)|not (?:disclosed|mentioned|explained|shown|listed|included|quoted|on the (?:quote|estimate|site|page|listing|order|receipt|summary)|in the (?:quote|contract|estimate|listing|ad|agreement|order|terms))|undisclosed|(?:nobody|no one|nobody ever) (?:mentioned|told|said|explained|brought)|(?:didn'?t|did not|never) (?:mention|disclose|tell|explain|show|say)|wasn'?t (?:in|on|mentioned|disclosed|listed|shown|part)|weren'?t (?:in|on|mentioned|disclosed|listed|shown)|nowhere (?:in|on)|not a (?:word|peep)|none of (?:it|that|this|them) (?:was|were)|without (?:any )?(?:warning|notice|disclos))/
regex  hid.not_disclosed_fee hidden_fees 1.2 need=fee,surcharge,charge,interest,cost,extra,rider /\b(?:never (?:mentioned|disclosed|told (?:me|us) about|said (?:a word|anything) about|brought up|explained|showed|listed)|(?:nobody|no one) (?:mentioned|told (?:me|us) about|said (?:a word|anything) about|explained)|(?:didn'?t|did not) (?:mention|disclose|tell (?:me|us) about|explain|show)|not a (?:word|peep) about|nothing about)\b[^.!?\n]{0,60}?\b(?:fees?|surcharges?|charges?|interest|costs?|extra|rider)\b/
regex  hid.fee_only_at_checkout hidden_fees 1.0 need=fee,surcharge,charge,total,price /\b(?:fees?|surcharges?|charges?|charged (?:me|us)|total|price)\b[^.!?\n]{0,60}?\b(?:only (?:at|on|shown at|showed up at|appeared at)|added (?:at|on)|(?:at|on) the (?:very )?(?:last|final) (?:step|page|screen)|at (?:the )?checkout|at the (?:counter|front desk|desk|gate|door|closing|signing|table))\b/
regex  hid.fee_on_bill hidden_fees 0.6 /\b(?:fees?|surcharges?|charges?|riders?)\b[^.!?\n]{0,30}\b(?:on|in|to) (?:my|our|the) (?:first |next |monthly |latest )?(?:bill|statement|invoice|receipt)\b/
regex  hid.bill_went_up hidden_fees 0.4 need=went,doubled,tripled,jumped,increased,spiked,shot /\b(?:bill|rate|price|payment|premium|total)s? (?:went up|doubled|tripled|jumped|increased|spiked|shot up)\b/
regex  hid.not_included hidden_fees 0.5 need=included /\b(?:isn'?t|is not|wasn'?t|was not|aren'?t|weren'?t|not) (?:actually )?included\b/
regex  hid.no_fee_then_fee hidden_fees 1.0 need=no,zero /\b(?:no|zero) (?:\w+ ){0,2}(?:fees?|charges?)\b.{0,100}?[$£€]\d[\d,.]*k? (?:\w+ ){0,2}(?:fee|charge|surcharge)\b/
regex  hid.first_bill_more hidden_fees 0.8 /\b(?:first|next|latest|new|monthly|actual) (?:bill|invoice|statement)\b(?:[^.!?\n]{0,40}\b(?:was|is|came|says|said|shows|showed|had|has)\b|\s?:)[^.!?\n]{0,30}[$£€]\s?\d/
# quoted or advertised amount, then a higher billed amount
regex  hid.quoted_then_billed hidden_fees 1.0 need=quot,estimat,advertised,listed,agreed,booked,plan,face,cart,sticker /\b(?:quoted|quote|estimate|estimated|advertised|listed|agreed|booked|plan|face value|cart|sticker)\b.{0,80}?[$£€]\s?\d[\d,.]*.{0,120}?\b(?:bill|billed|invoice|total|charged|came to|turned into|demanded|at checkout|at the (?:last|final) (?:step|page)|out[- ]the[- ]door|otd|ended up|worksheet|paperwork|contract|final price|after)\b.{0,40}?[$£€]\s?\d/
regex  hid.price_then_total hidden_fees 0.7 need=total,bill,invoice,checkout /[$£€]\s?\d[\d,.]*[^\n]{0,60}?\b(?:total|first bill|invoice|checkout)\b[^\n]{0,25}?[$£€]\s?\d/
regex  hid.named_fee hidden_fees 0.5 /\b(?:service|processing|order processing|convenience|admin|administrative|activation|booking|handling|facility|dispatch|technician|maintenance|account maintenance|doc|documentation|dealer prep|prep|startup|start[- ]up|enrollment|enrolment|enhancement|annual|recovery|cost recovery|regulatory|small order|delivery|stair|long carry|valet trash|pest|paper statement|statement|line access|access|interconnection|network|upkeep|broadcast tv|broadcast|sports|equipment|modernization|cleaning|parking|baggage|bag|carry[- ]on|seat|payment|installation|install|restocking|market adjustment|packing|fuel|energy|concession|license recovery|surgical|disposal|biohazard) (?:fees?|surcharges?|charges?|riders?)\b/
regex  hid.scare_quoted_fee hidden_fees 0.6 need=fee,surcharge,charge,rider /["'][^"'\n]{2,40}\b(?:fee|fees|surcharge|charge|rider)["']|"[^"\n]{2,30}"(?: and "[^"\n]{2,30}")? (?:fees?|surcharges?|charges?)\b/
regex  hid.tacked_on hidden_fees 0.9 need=fee,surcharge,charge /\b(?:tacked|slapped|snuck|sneaked|stuck|piled|threw|throw|added|hit (?:me|us) with|buried|sprung|springs?)\b[^.!?\n]{0,40}\b(?:fees?|surcharges?|charges?)\b[^.!?\n]{0,30}\b(?:on|onto|at the end|later|after|afterwards|at checkout|at signing)\b/
regex  hid.extra_apparently hidden_fees 0.8 /\b(?:apparently|turns out|turned out|surprise|surprisingly)\b[^.!?\n]{0,50}\b(?:is|are|was|were|costs?) (?:extra|additional|not included|separate)\b/
regex  hid.otd_over hidden_fees 0.9 /\bout[- ]the[- ]door\b[^.!?\n]{0,60}\b(?:over|more than|higher than|above|on top of)\b/
regex  hid.turned_into hidden_fees 0.9 need=turned,balloon,became,came,ended,jumped /\b(?:quoted?|quote|estimate|advertised|price|install|installation|plan|bill|total|fare|rate)\b.{0,40}?\b(?:turned into|ballooned (?:to|into)|became|came out to|ended up (?:at|being)|jumped to)\b[^.!?\n]{0,20}[$£€]\d/
regex  hid.none_of_it_disclosed hidden_fees 0.8 /\b(?:none|neither|nothing) of (?:it|that|this|them|those|these)\b[^.!?\n]{0,10}\b(?:(?:was|were) (?:ever )?)?(?:on|in|mentioned|disclosed|listed|shown|included|quoted|stated|explained|told)\b/
regex  hid.never_explained hidden_fees 0.6 need=never /\b(?:was|were) never (?:explained|disclosed|mentioned|stated|told|shown|made clear) to (?:me|us)\b|\bnever (?:explained|disclosed|mentioned|stated|made clear) (?:to (?:me|us) )?(?:that|the|how|any)\b/
regex  hid.total_double hidden_fees 0.8 need=double,twice,triple,% /\b(?:total|bill|price|invoice|cost)\b[^.!?\n]{0,10}\b(?:was|came to|ended up|is|came out)\b[^.!?\n]{0,10}\b(?:double|twice|triple|nearly double|almost double|\d+% (?:more|higher))\b/
regex  hid.and_then_fee hidden_fees 0.5 /\b(?:and then|then|plus) (?:a |an |another )?(?:\w+ ){0,3}(?:fee|surcharge)\b/
regex  hid.nobody_mentioned_this hidden_fees 0.6 /\b(?:nobody|no one|never) (?:mentioned|disclosed|said a word about|told (?:me|us) about) (?:this|that|it|any of (?:this|that|it))\b/
regex  hid.taxes_fees_included hidden_fees 0.6 /\b(?:taxes (?:and|&) fees|all[- ]in|fees) included\b.{0,40}(?:lol|lmao|haha|\?|yeah right|sure)/
phrase hid.should_read_fine_print hidden_fees 0.6 should have read the fine print
regex  hid.fee_word hidden_fees 0.2 /\bfees?\b/
regex  hid.surcharge_word hidden_fees 0.35 /\bsurcharges?\b/
regex  hid.extra_charge hidden_fees 0.4 /\bextra (?:charges?|fees?)\b/
regex  hid.added_fee hidden_fees 0.6 /\badded (?:\S+ ){0,3}(?:fees?|surcharges?)\b/
regex  hid.charged_interest hidden_fees 0.6 need=interest,finance /\b(?:charged|charging|paying|pay|owe)\b[^.!?\n]{0,40}\b(?:interest|finance charges?)\b[^.!?\n]{0,60}\b(?:never|not|didn'?t|without|wasn'?t|surprise|supposed|promo|promotion|free|0 ?%)\b/
regex  hid.didnt_realize hidden_fees 0.8 /\b(?:didn'?t|did not|never) (?:fully )?(?:realize|understand|know|expect)\b[^.!?\n]{0,60}\b(?:fees?|interest|owe|cost|charges?|pay back|surcharges?|would be charged|apr)\b/
regex  hid.times_borrowed hidden_fees 0.9 need=times,double,twice,triple /\b(?:\d+|two|three|four|five|ten) times (?:the amount|what) (?:i|we|they|was) (?:borrowed|loaned|lent|owed)\b|\b(?:pay|paid|owe|repay) (?:them )?(?:back )?(?:double|twice|triple|\d+ times)\b/
regex  hid.no_disclosure hidden_fees 0.8 need=disclos /\bno (?:full |proper |prior |clear )?disclosure\b|\bwithout (?:ever )?disclos\w+/
regex  hid.supposed_waived hidden_fees 0.8 /\b(?:suppose[d]? to be|was to be|should have been|promised to be|advertised as) (?:waived|free|\$?0|included|credited|no[- ]fee)\b/
# a fee charged to the card after the stay or the visit
regex  hid.charged_after_visit hidden_fees 0.5 need=fee,charge,surcharge /\bcharged (?:me |us |my card |our card )?(?:an? )?[$£€]?\d[\d,.]* ["']?[^.!?\n]{0,25}\b(?:fee|charge|surcharge)["']?\b[^.!?\n]{0,25}\b(?:after (?:checkout|check[- ]out|the (?:stay|visit|trip|rental|appointment))|to (?:my|our) card)\b/
# a price stated, then a bigger amount at the end of the road
regex  hid.price_then_more hidden_fees 1.0 need=$,£,€ /([$£€]\s?\d+(?:[,.]\d+)*)k?\b.{0,110}?\b(?:by the time|at (?:the )?checkout|at the (?:counter|desk|register|end|pickup|door)|hands? (?:me|us)|handed (?:me|us)|came to|comes to|came out to|turned into|ended up|final (?:bill|total|price|invoice|amount)|(?:bill|total|invoice|receipt|contract|statement|ledger|charge) (?:was|is|said|says|came|for|showed|shows)|checked (?:my|the) (?:bank|card|statement|account)|they said|now (?:it'?s|says|is))\b[^.!?\n$£€]{0,30}(?!\1(?!\d))[$£€]\s?\d/
# one amount after another piled on: "$1,650 + $45 'amenity' + $35 trash"
regex  hid.plus_chain hidden_fees 0.6 need=+ /\+\s?[$£€]?\d[\d,.]*[^+\n]{0,40}\+\s?[$£€]?\d[\d,.]*[^+\n]{0,40}\+\s?[$£€]?\d/
# the charge shows only where nobody looks
regex  hid.only_visible hidden_fees 0.6 need=visible,shown,shows,appear,listed,disclosed,mentioned,buried,tiny,print,hidden,fold /\bonly (?:visible|shown|shows up|appears?|listed|disclosed|mentioned) (?:if|when|on|in|at|after|once)\b|\bburied (?:in|under|at|deep)\b|\btiny (?:grey|gray|print|text|font|link)\b|\bin (?:the )?(?:tiny|small|fine) print\b|\bhidden (?:behind|under|below|in a)\b|\bbelow the fold\b/
# a locked or quoted amount that is now a bigger one
regex  hid.locked_amount_now hidden_fees 1.0 need=lock,fixed,guarantee,promis,quot,advertis,agreed,promo,intro,flat /\b(?:locked|fixed|guaranteed|promised|quoted|advertised|agreed|promo|intro|flat)\s+(?:(?:rate|price|monthly|bill)\s+)?(?:of\s+)?([$£€]\d+(?:[,.]\d+)*)\s*(?:\/\s?\w+\s+)?(?:is|was|became|went to|turned into|is now|now|jumped to)\s+(?:now\s+)?(?!\1(?!\d))[$£€]\d/
# noticed only later, on a statement
regex  hid.noticed_later hidden_fees 0.8 need=until,noticed,saw,found,caught,spotted /\b(?:didn'?t|did not|never) (?:see|notice|spot|catch|realize) (?:it|them|this|that|the \w+ )?\s?until\b|\bonly (?:noticed|saw|found|caught|spotted) (?:it|them|this|that)? ?(?:when|on|after|in|once)\b/
regex  hid.deep_in_terms hidden_fees 0.6 need=page,paragraph,section,asterisk /\b(?:page|paragraph|section|clause) \d+ of (?:the|their|my|our) (?:terms|contract|agreement|fine print|t&cs?|policy)\b|\b(?:tiny |small |little )?asterisk\b/
# "$30 more than the listed price"
regex  hid.more_than_quoted hidden_fees 0.9 need=more,higher,over,extra /[$£€]\d[\d,.]*k? (?:more|higher|over|extra) than (?:the |what )?(?:(?:listed|advertised|quoted|posted|agreed|original|sticker|online|estimated) )?(?:price|quote|estimate|total|fare|rate|was (?:quoted|advertised|listed)|(?:they|he|she) (?:quoted|said|advertised))\b/
# nobody said a word about the fee, in so many words
regex  hid.no_mention hidden_fees 0.9 need=mention,sign,word,warning,indication,disclosure,hint /\b(?:no|zero|not a single|not one|without any) (?:mention|sign|word|warning|indication|disclosure|hint) (?:of|about) (?:a|an|the|any)? ?(?:\w+ ){0,3}(?:fees?|charges?|surcharges?|costs?)\b/
regex  hid.asked_said_no hidden_fees 0.8 need=said,told /\basked\b[^.!?\n]{0,40}\b(?:fees?|charges?|costs?|extras?)\b[^.!?\n]{0,40}\b(?:said no|told (?:me|us) no|said none|said there (?:were|was) none|said nope)\b/

# ---------------------------------------------------------------------------
# bait_and_switch: an advertised price or item that was not really
# available, then another pushed.

regex  bas.bait_and_switch bait_and_switch 1.2 /\bbait(?:ed)?[\s-]*(?:and|&(?:amp;)?|n'?|'n'?|\+)[\s-]*switch(?:ed|ing)?\b/
phrase bas.baited bait_and_switch 0.5 baited
regex  bas.just_sold_similar bait_and_switch 1.1 need=sold,rented,gone,leased,taken,booked,filled /\b(?:just sold|already sold|was sold|been sold|sold this morning|sold yesterday|been rented|was rented|already rented|already gone|is gone|was gone|just (?:leased|rented|taken|booked|went)|already (?:leased|taken|booked)|(?:filled|booked) up)\b.{0,140}?(?:\b(?:similar|instead|another|other one|but (?:we|they) (?:have|had)|for|more|pricier|upgrade|same (?:one|trim|model)|coming in|different)\b|[$£€]\d)/
phrase bas.just_sold bait_and_switch 0.5 just sold
regex  bas.not_available_address bait_and_switch 1.0 /\b(?:not|isn'?t|wasn'?t|no longer|never) (?:actually )?(?:available|offered|sold|stocked|in stock)\b[^.!?\n]{0,30}\b(?:at (?:your|my|our|this) (?:address|location|zip|area|club|store)|in (?:your|my|our) (?:area|neighbou?rhood|zip|region|market))\b/
regex  bas.unavailable_then_pricier bait_and_switch 1.0 need=stock,sold,available,offered,valid,discontinued,carry,have,exist,mistake,error /\b(?:out of stock|sold out|not in stock|unavailable|isn'?t available|not available|wasn'?t available|no longer (?:offered|available|valid)|discontinued|don'?t (?:stock|carry|have) (?:it|that|them)|doesn'?t exist|listed by mistake|pricing error|price error|not valid (?:on|for))\b.{0,140}?(?:\b(?:but|instead|only (?:have|has|had|sell|sells)|upgrade|pricier|more expensive|similar|steered|pushed|replacement|magically|costs?|is in stock|in stock today|on the lot|always available)\b|[$£€]\d)/
regex  bas.steered bait_and_switch 0.9 need=expensive,pricier,higher,bigger,premium,other,different,$,£,€ /\b(?:steer|push|switch|mov|upsell|upsold|upgrad|talk|sign|put|nudg|funnel)\w* (?:me|us|my \w+)\b[^.!?\n]{0,20}\b(?:to|toward|towards|into|onto|up for)\b[^.!?\n]{0,40}(?:\b(?:more expensive|pricier|higher|bigger|premium|other|another|different)\b|[$£€]\d)/
regex  bas.instead bait_and_switch 0.8 /\b(?:sign|sell|put|switch|move|steer|push|talk|upsell|offer)\w* (?:me|us|my \w+)\b[^.!?\n]{0,50}\binstead\b/
regex  bas.because_discontinued bait_and_switch 0.6 need=because,since,saying,claim,said /\b(?:because|since|saying|claiming|claimed|said)\b[^.!?\n]{0,40}\b(?:discontinued|no longer (?:offered|available|valid)|sold out|out of stock|not available|unavailable|just sold)\b/
regex  bas.offer_no_longer bait_and_switch 0.6 need=longer,discontinued,anymore,offered /\b(?:offer|plan|deal|price|rate|special|promo|promotion|advertised|mailer|coupon)\b[^.!?\n]{0,60}\b(?:no longer (?:offered|available|valid)|discontinued|not available anymore|isn'?t offered|not offered)\b/
regex  bas.nobody_stocks bait_and_switch 0.8 /\b(?:nobody|no one|no dealer|no store|none of them|they don'?t|they never) (?:actually )?(?:stocks?|carr(?:y|ies)|has|have|sells?)\b (?:it|them|that|the)\b/
regex  bas.only_have_upgrade bait_and_switch 0.9 /\b(?:we|they|i|you) (?:only|just) (?:have|had|has|got|offer|offered|sell|sold)\b[^.!?\n]{0,60}(?:\bupgrade\b|\bfor \S*\d|\bmore\b|[$£€]\d)/
regex  bas.checkin_unavailable bait_and_switch 0.8 /\b(?:at|upon|on) (?:check[- ]?in|pick[- ]?up|arrival|the counter|the desk|the dealership|delivery)\b.{0,80}?\b(?:only have|only had|don'?t have|didn'?t have|no longer|not available|isn'?t available|wasn'?t available|isn'?t included|not included|wasn'?t included|upgrade|extra|gave (?:us|me) a|that'?s (?:another |an extra )?[$£€]?\d)/
regex  bas.sold_out_months bait_and_switch 0.8 need=sold,always,still,conveniently,magically /\bsold out\b.{0,40}?\bfor (?:\d+|two|three|several|many) (?:weeks|months|years)\b|\b(?:while|but|yet|whereas) the [$£€]?\d*\s?(?:\w+ )?(?:tier|plan|model|version|one|trim|room|package) (?:is|was) (?:always|still|conveniently|magically) (?:there|available|in stock)\b/
regex  bas.only_online bait_and_switch 0.4 /\b(?:online|in[- ](?:club|store|person)) only\b/
regex  bas.advertised_then_in_person bait_and_switch 1.0 need=when,person,store,counter,dealer,club,showing,desk,lot,branch,register,checkout,office,credit,qualif,eligible,stock,order,showed,arrived,got /\b(?:advertis(?:ed|es|ing)|ad (?:said|says)|listed|posted|mailer|mailed (?:me|us)|flyer|the ad|the listing|online)\b.{0,160}?\b(?:when (?:i|we) (?:called|arrived|got there|went in|showed up|tried|went|came)|showed up|got there|arrived|in (?:person|store)|at the (?:counter|dealer(?:ship)?|store|club|showing|desk|lot|branch|register|checkout|office)|after (?:the|a) credit check|(?:you|i|we) (?:don'?t|didn'?t|do not|did not) qualify|only qualify|not eligible|don'?t stock|we can order it)\b/
regex  bas.get_in_door bait_and_switch 1.0 /\b(?:get|got|bring|lure|lured|draw|drew) (?:you|me|us|people|customers|folks) (?:in|into|through) (?:the|their) door\b/
regex  bas.lured bait_and_switch 0.9 need=lure,bait,roped,hooked,reeled,suckered /\b(?:lured|lure|baited|roped|hooked|reeled|suckered) (?:me|us|people|customers|in)\b/
regex  bas.wont_honor bait_and_switch 1.0 need=hono /\b(?:wouldn'?t|won'?t|refused to|refuse to|would not|will not|didn'?t|did not) honou?r (?:the |their |its |my |our |that |an? )?(?:own )?(?:advertised |listed |online |posted |website |internet )?(?:price|quote|deal|offer|rate|promo\w*|coupon|ad|sale|discount)\b/
regex  bas.only_qualify bait_and_switch 0.8 /\b(?:i|we) (?:only|just) qualif(?:y|ied) for (?:the|a|their)\b/
regex  bas.only_option bait_and_switch 0.7 need=only /\b(?:the )?only (?:option|choice|plan|thing|one|deal|package) (?:left |available |they had |they offered )?(?:was|is|were)\b[^.!?\n]{0,20}[$£€]\d/
regex  bas.dont_qualify bait_and_switch 0.4 /\b(?:don'?t|didn'?t|do not|did not|doesn'?t) qualify\b/
regex  bas.deal_for_only bait_and_switch 0.7 need=student,customer,studio,member,online,club,select,military,first /\b(?:is|was|are|were) "?(?:only |just )?(?:for|valid for|available (?:for|to)|limited to) (?:students|new customers|studios|members|online|in[- ]club|select|military|first[- ]time)\b|\b(?:is|was) "?(?:students|new customers|members|online|in[- ]club) only\b/
regex  bas.received_different bait_and_switch 0.8 need=model,version,fabric,frame,item,trim,size,one,product /\b(?:received|got|delivered|shipped|sent (?:me|us))\b[^.!?\n]{0,40}\b(?:different|cheaper|wrong|lesser|smaller|older|lower)\b[^.!?\n]{0,30}\b(?:model|version|fabric|frame|item|trim|size|one|product)\b/
regex  bas.upgrade_fee bait_and_switch 0.6 need=upgrade /\bupgrade (?:is|for|costs?|was) [$£€]?\d|\bupgrade to [^.!?\n]{0,25}?(?:[:=]|is|for|costs?)\s*\+?[$£€]\d/
regex  bas.zero_dates bait_and_switch 0.7 /\b(?:zero|no|not one|none of the) (?:dates|rooms|seats|flights|units|cars)\b[^.!?\n]{0,30}\b(?:at that price|available|at the advertised)\b/
regex  bas.sold_out_funnel bait_and_switch 0.6 /\b(?:always|perpetually|permanently|forever|for (?:weeks|months)) (?:sold out|out of stock|unavailable)\b/
# the advertised item is missing, another one is shown
regex  bas.walked_to_pricier bait_and_switch 0.9 need=$,£,€,expensive,pricier,premium,higher,bigger,upgraded,comparable,similar /\b(?:walk\w*|steer\w*|point\w*|direct\w*|show\w*|took|takes|lead|led|push\w*|offer\w*|sell|selling|upsell\w*) (?:me|us) (?:over |right |straight )?(?:to |toward |towards |into |on )?(?:an? |the )["']?(?:\w+ ){0,2}["']?(?:[$£€]\d|more expensive|pricier|premium|higher|bigger|upgraded|comparable|similar)/
regex  bas.none_on_shelf bait_and_switch 0.5 need=zero,none,no,not /\b(?:zero|none|no(?:thing)?|not (?:a single )?one) (?:\w+ )?(?:on the (?:shelf|shelves|lot|floor)|in (?:the )?(?:store|stock|warehouse)|at (?:the|any) (?:store|location|branch)s?)\b/
regex  bas.advertised_approved_at bait_and_switch 0.9 need=advertised,promo,offer,quoted,listed,apr,rate /\b(?:advertised|promo\w*|offer\w*|quoted|listed|apr|rate)\b.{0,80}?\b(?:approved|qualified|offered|came back|ended up)\.*\s*(?:at|for|with) [$£€]?\d/
regex  bas.different_program bait_and_switch 0.5 need=qualif /\bqualif\w* for (?:a|the) (?:different|other|another|higher|lesser|special|separate) (?:program|plan|rate|tier|offer|product|loan)\b/
regex  bas.different_from_pictured bait_and_switch 1.0 need=pictur,photo,image,advertis,shown,listed /\b(?:different|cheaper|lesser|other) (?:\w+ ){0,2}(?:from|than) (?:the one |what (?:was |is )?)?(?:in the (?:photos?|pictures?|images?|ad|listing)|pictured|advertised|shown|listed)\b|\bthe one (?:pictured|in the (?:photos?|pictures?|ad)) is [$£€]?\d/
regex  bas.display_error bait_and_switch 0.6 need=error,typo,glitch,mistake /["']?\b(?:a )?(?:display|pricing|price|website|system|listing) (?:error|glitch|mistake)\b|\b(?:a|the) (?:typo|glitch)["']?.{0,80}?[$£€]\d/
regex  bas.nobody_stocks_it bait_and_switch 1.0 need=nobody,stocks,carries /\b(?:an? |the )(?:trim|model|version|unit|room|car|size|color|package) (?:that )?(?:nobody|no one|no dealer|no store|none of them) (?:actually )?(?:stocks|carries|has|sells)\b/
regex  bas.that_price_only_for bait_and_switch 0.8 need=price,rate,deal,offer,one,fare /\b(?:that|the advertised|the listed|the online|the sale|the promo|the intro|the \$\d+) (?:price|rate|deal|offer|fare|one) (?:is|was|only applies|applies) (?:only |just )?(?:for|to|with|if)\b/
regex  bas.cheap_one_unavailable bait_and_switch 0.8 need=$,£,€ /\bthe [$£€]\d[\d,.]*(?:\/\w+)? (?:one|model|plan|version|option|room|car|package|trim|fare|unit|tier)\b.{0,60}?\b(?:isn'?t|wasn'?t|not|no longer|unavailable|sold|full|gone|out of stock)\b/
regex  bas.no_longer_available_price bait_and_switch 0.6 need=available,longer /\b(?:no longer available|not available anymore|unavailable)\b.{0,80}?\b(?:now|same|instead|but)\b[^.!?\n]{0,30}[$£€]\d/
phrase bas.upsell bait_and_switch 0.3 upsell*
# whatever one picks is the pricier one
regex  bas.every_option_pricier bait_and_switch 1.0 need=every,each,all,any,whichever,whatever /\b(?:every|each|all the|any|whichever|whatever) (?:date|day|night|room|flight|time|option|model|unit|slot|seat|week|weekend|trim|color|size|plan)s? (?:i|we) (?:clicked|picked|chose|tried|checked|selected|asked about|looked at|wanted|wanted was|liked)\b[^.!?\n]{0,40}\b(?:was|were|is|are|came up|showed|had)\b[^.!?\n]{0,20}(?:[$£€]\d|\b(?:more|higher|pricier|sold out|unavailable|not available|extra|excluded|blacked out|never|not)\b)/
# the seller put something cheaper in its place
regex  bas.substituted bait_and_switch 1.0 need=substitut,subbed,swapped,replaced,showed,arrived,came,delivered,installed /(?<!\bi )(?<!\bwe )\b(?:substitut\w*|subbed|swapped|replaced)\b[^.!?\n]{0,40}\b(?:with|for|by|out for)\b[^.!?\n]{0,40}\b(?:cheaper|lesser|no[- ]name|generic|off[- ]brand|lower|older|smaller|comparable|similar|equivalent|base|regular|standard|different)\b|\b(?:showed up|arrived|came|delivered|installed it) with (?:a |an |the |some )?(?:different|cheaper|no[- ]name|generic|off[- ]brand|lesser|lower[- ]grade|knock[- ]?off|used|older)\b/
# the advertised deal belongs to some other buyer
regex  bas.only_for_tier bait_and_switch 0.7 need=tier,select,qualified,excellent,perfect,off-peak,peak,$,£,€ /\b(?:that'?s|it'?s|that is|it is|is|was|only|valid|applies|except)\s+(?:only\s+)?(?:for|on|with|to)\s+(?:tier[- ]?(?:1|one)|top[- ]tier|select (?:models|customers|dates|locations|trims|plans|stores|units)|well[- ]qualified|qualified (?:buyers|customers)|excellent credit|perfect credit|the\s+[$£€]\d[\d,.]*\s*(?:\/\s?\w+\s+)?(?:plan|tier|package|model|one|option|membership|version))\b|\b(?:off[- ]peak|weekdays?|select models) only\b/
# the one that fits, works or is in stock costs more
regex  bas.the_one_that_does bait_and_switch 0.8 need=one,model,unit,version,plan,option /\bthe (?:one|model|unit|version|plan|option)s? (?:that|which) (?:does|do|works|fits|qualif\w+|is available|are available|is in stock|they (?:have|had))\b[^.!?\n]{0,20}\b(?:is|was|are|costs?|runs?)\b[^.!?\n]{0,10}[$£€]?\d/
# the "gone" listing is still up
regex  bas.listing_still_up bait_and_switch 0.6 need=still /\b(?:listing|ad|one|unit|car|it|deal|offer|room|apartment)\b[^.!?\n]{0,30}\bstill (?:on (?:the|their) (?:site|website|lot|app|page)|listed|live|up|online|posted|advertised|there)\b/
# the deal is for someone else: "conventional only", "for new households only"
regex  bas.deal_is_x_only bait_and_switch 0.7 need=only /\b(?:special|deal|offer|price|promo|rate|sale|coupon|discount)\b[^.!?\n]{0,25}\b(?:is|was|are|were|'s)\s+(?:only\s+)?(?:for\s+)?[\w-]+(?:\s[\w-]+)?\s+only\b|\b(?:that'?s|that is|it'?s|it is)\s+(?:only\s+)?for\s+(?:\w+\s+){1,3}only\b/
# what is left is the dearer one; the price "for you"
regex  bas.only_pricier_left bait_and_switch 0.9 need=left,available,remaining /\b(?:only|all) (?:ones?|units?|rooms?|cars?|options?|models?|apartments?|seats?) (?:left|available|remaining)\b[^.!?\n]{0,30}(?:[$£€]\d|\b(?:more|pricier|premium|renovated|upgraded|higher|deluxe)\b)/
regex  bas.price_for_you bait_and_switch 0.7 need=be,you,your /\b(?:you'?d be|you'?ll be|you would be|for you (?:it'?s|it is|it would be|it'?d be)|your (?:price|rate) (?:is|would be|will be))\s+(?:at\s+)?[$£€]\d/
# booked one thing, got a lesser one
regex  bas.booked_got_lesser bait_and_switch 0.8 need=got,received,gave,ended /\b(?:booked|ordered|paid for|bought|reserved|asked for|signed up for)\b[^.!?\n]{0,40}?,?\s+(?:and )?(?:got|received|they gave (?:me|us)|ended up with)\s+(?:a |an |the )?["']?(?:partial|different|smaller|older|cheaper|lesser|worse|basic|standard|used|downgraded)\b/
# the advertised item is not there
regex  bas.advertised_missing bait_and_switch 1.0 need=advertised,listed,sale,promo,featured,$ /\b(?:didn'?t|did not|don'?t|do not|doesn'?t|never) (?:even )?(?:have|had|stock|carry|carried) (?:the|that|any of the|a single) (?:advertised|listed|sale|promo|featured|\$\d+) (?:\w+ )?(?:model|one|item|car|unit|product|size|version|tv|laptop|phone|room|price|deal)s?\b/
# an advertised offer, then the one they would actually sell is dearer
regex  bas.advertised_then_pricier bait_and_switch 1.0 need=$,£,€ /\b(?:ad|ads|advertis\w*|flyer|mailer|listing|listed|coupon|deal|sale|promo\w*|offer|site|website|online|quoted|window|display|showed)\b.{0,200}?(?:\bthe [$£€]\d[\d,.]*k?(?:\/\w+)? (?:\w+ )?(?:one|model|plan|version|room|unit|car|trim|box|tier|option|package|membership|king|suite)s?\b|\b(?:one|ones|model|plan|version|room|unit|car|trim|box|tier|option|package|membership)s? (?:\w+ ){0,3}?(?:is|are|was|were|for|at|costs?|runs?)\s+(?:only |just )?[$£€]\d|[$£€]\d[\d,.]*k?(?:\/\w+)?\s+(?:\w+\s+)?(?:available|instead|more)\b|\b(?:needs?|requires?)\b[^.!?\n$£€]{0,40}[$£€]\d)/
# "not available at your address", "we only had 3 of those"
regex  bas.not_in_your_area bait_and_switch 0.7 need=available,offered /\bnot (?:available|offered) (?:at|in|for|to) (?:your|my|our|this|that) (?:address|area|zip|zip code|location|building|region|neighbou?rhood|store|branch)\b/
regex  bas.only_had_few bait_and_switch 0.6 need=only /\b(?:only (?:had|have|got|get|received)|there (?:were|was) only) (?:\d+|one|two|three|four|five|a few|a couple|a handful)(?: of)? (?:those|them|that|these|in stock|units?|at that price)\b/
# upgraded, then charged for the upgrade; pushed another product instead
regex  bas.upgraded_and_charged bait_and_switch 0.7 need=upgrad,moved,switched,bumped /\b(?:upgraded|moved|switched|bumped)["']? (?:me|us)\b.{0,80}?\b(?:charged|billed|made (?:me|us) pay)\b[^.!?\n]{0,30}\b(?:rate|price|difference|more|extra|for (?:it|the))\b/
regex  bas.pushed_instead bait_and_switch 0.6 need=instead /\b(?:push\w*|steer\w*|upsold|upsell\w*|talked (?:me|us) into|sold (?:me|us)) (?:me |us )?(?:on |into |toward |towards )?(?:a|an|the|some|their)\b[^.!?\n]{0,30}\binstead\b/

# ---------------------------------------------------------------------------
# pressure_tactics: high pressure, fear or fake urgency to close a sale.

phrase prs.wouldnt_take_no pressure_tactics 1.2 wouldn't take no
phrase prs.wont_take_no pressure_tactics 1.1 won't take no
phrase prs.didnt_take_no pressure_tactics 1.1 didn't take no
phrase prs.not_take_no pressure_tactics 1.1 not take no for an answer
phrase prs.refused_to_leave pressure_tactics 1.2 refused to leave
phrase prs.wouldnt_leave pressure_tactics 1.0 wouldn't leave
regex  prs.wouldnt_let_leave pressure_tactics 1.2 /\b(?:wouldn'?t|would not|won'?t|didn'?t|did not|refused to) let (?:me|us|my \w+|them|anyone)(?: \w+)? (?:leave|go|take|read|think|talk|sleep on|walk|out|see|in|into|come in|call|check)\b/
regex  prs.kept_keys pressure_tactics 1.0 /\b(?:kept|held|took|hung on to|wouldn'?t (?:give|hand) back|refused to (?:give|hand) back) (?:my|our) (?:keys|car keys|key|license|licence|id|passports?|trade[- ]?in)\b/
regex  prs.only_good_today pressure_tactics 1.1 need=only,just /\b(?:only|just) (?:good|valid|available) (?:if|when|as long as) (?:i|we|you|she|he) (?:sign|buy|bought|commit|decide|book|pay|paid|order)\w* (?:it |up )?(?:today|tonight|now|right now|on the spot|that day|immediately)\b|\b(?:only|just) (?:good|valid|available|offered|for) (?:today|tonight|right now|this (?:once|minute|hour)|while (?:you'?re|you are|we'?re|i'?m) (?:here|in this room|on the phone)|for the next (?:\d+|few|ten|five|fifteen|thirty) (?:minutes|hours|mins))\b/
regex  prs.sign_now_or pressure_tactics 1.1 need=today,tonight,now,spot,minute,gone,lose,expire,goes,go,disappear,pull /\b(?:sign|decide|buy|commit|book|pay|do it)\b[^.!?\n]{0,25}\b(?:today|tonight|now|right now|on the spot|this minute)\b[^.!?\n]{0,10}\b(?:or|otherwise|else)\b|\b(?:sign|buy|decide|commit|book|pay)\s+(?:it\s+)?(?:now\s+|today\s+)?or\s+(?:the|this|your|you|we|i)\b[^.!?\n]{0,20}(?:gone|\blose|\bexpires?|\bgoes|\bgo up|\bdisappears?|\bpull)/
regex  prs.on_the_spot pressure_tactics 0.6 need=spot,day,night,there,tonight,next /\b(?:sign|decide|pay|buy|commit)\b[^.!?\n]{0,30}\b(?:on the spot|that (?:day|night)|right there|same day|tonight|in the next (?:hour|\d+ minutes))\b/
regex  prs.had_to_now pressure_tactics 0.8 need=had,have,need,must /\b(?:had to|have to|needed to|need to|must)\b[^.!?\n]{0,40}\b(?:right then|right now|right there|today|tonight|on the spot|immediately|that day|same day|before (?:i|we) left)\b/
regex  prs.lose_deal pressure_tactics 1.0 /\b(?:lose|losing|lost) (?:this|the|that|my|your) (?:deal|price|rate|offer|spot|car|discount|approval|financing|slot|seat|room|appointment|place)\b[^.!?\n]{0,30}\b(?:forever|if|unless|tomorrow|tonight)\b/
regex  prs.price_gone pressure_tactics 0.8 need=price,deal,offer,rate,discount,fare,quote,special /\b(?:price|deal|offer|rate|discount|fare|quote|special)\b["']?[^.!?\n]{0,10}\b(?:is gone|will be gone|goes up|go up|expires?|disappears?|dies|vanishes|goes away|doubles?|would (?:definitely )?(?:"?double|go up)|ends)\b[^.!?\n]{0,20}\b(?:tomorrow|tonight|if|when|the (?:minute|moment|second)|in (?:an|the next|\d+)|at midnight|at \d|by (?:friday|monday|the weekend|end of)|end of (?:day|the day|week|month)|this weekend)\b/
regex  prs.sign_today_and pressure_tactics 0.6 need=today,tonight,now /\b(?:sign|buy|join|book|commit|decide)\b[^.!?\n]{0,15}\b(?:today|tonight|right now|now)\b (?:and|to get|or lose)\b/
regex  prs.sales_pitch pressure_tactics 0.7 need=pitch,presentation /\b(?:\d+|two|three|four|five|six)[- ]hours? (?:long )?(?:sales )?(?:pitch|presentation|sales pitch)\b|\bturned into (?:a|an) (?:\d+ hour |two hour |hour[- ]long )?(?:sales pitch|pitch|hard sell|sales presentation)\b/
regex  prs.lock_in_now pressure_tactics 0.7 need=now,today,lock /\b(?:sign|switch|buy|join|book|commit)\b[^.!?\n]{0,20}\b(?:now|today|tonight)\b (?:to lock|before|or (?:you'?ll|you will|lose|pay))\b/
regex  prs.if_didnt_now pressure_tactics 1.0 /\bif (?:i|we|she|he|they) (?:didn'?t|did not|don'?t|do not|wouldn'?t)\b[^.!?\n]{0,20}\b(?:sign|buy|switch|book|pay|decide|commit|agree|act|move|transfer|upgrade|renew|refinance|invest|roll)\b[^.!?\n]{0,40}\b(?:today|tonight|now|right now|on the spot|immediately|in the next|(?:by|before) (?:tomorrow|friday|monday|tuesday|wednesday|thursday|saturday|sunday|the end|midnight))\b/
regex  prs.hold_rate pressure_tactics 1.0 need=only,hold /\b(?:can|could) only (?:hold|keep|offer|give (?:you|me|us)) (?:this|the|that|it|these)\b[^.!?\n]{0,20}\b(?:for|until|till)\b[^.!?\n]{0,12}\b(?:\d+|ten|five|fifteen|thirty|few|next) (?:minutes?|mins?|hours?)\b|\brefused to hold\b/
regex  prs.brought_manager pressure_tactics 0.5 /\b(?:brought|bring|called|got|went to get) (?:in |over )?(?:his|her|their|the|a) (?:manager|boss|supervisor|closer|sales manager|finance (?:guy|manager))\b/
regex  prs.same_deal_later pressure_tactics 0.8 need=same /\b(?:went back|came back|checked (?:back|again)|called back|the (?:next|following) (?:week|day|month)|next (?:week|day|month)|a (?:week|month) later)\b.{0,80}?\bsame (?:price|deal|offer|special|fare|rate|"?manager'?s special"?|discount|speech)\b|\bsame (?:price|deal|offer|special|fare|rate|discount) (?:\w+ ){0,3}(?:the |a )?(?:next|following) (?:week|day|month)\b|\bsame (?:price|deal|offer|special|fare|rate|discount)\b[^.!?\n]{0,30}\b(?:days?|weeks?|months?) later\b/
regex  prs.walk_out pressure_tactics 0.9 /\bif (?:you|i) (?:walk|leave|hang up|step) (?:out|away|off)?\b/
phrase prs.pushy pressure_tactics 0.8 pushy
phrase prs.pushiness pressure_tactics 0.6 pushiness
phrase prs.high_pressure pressure_tactics 0.9 high pressure
phrase prs.hard_sell pressure_tactics 0.7 hard sell
phrase prs.strong_armed pressure_tactics 1.0 strong arm*
regex  prs.pressured pressure_tactics 1.0 /\bpressur(?:ed|ing|ised|ized) (?:me|us|my|our|him|her|them|into|to)\b/
phrase prs.pressure_tactic pressure_tactics 0.8 pressure tactic*
phrase prs.pressure_word pressure_tactics 0.3 pressure
regex  prs.fire_him pressure_tactics 1.1 /\b(?:boss|manager|supervisor|company)\b[^.!?\n]{0,20}\b(?:would|will|'?d|is going to|was going to|gonna|might|could)\b[^.!?\n]{0,10}\bfire (?:him|her|them|me)\b/
regex  prs.fire_if pressure_tactics 1.0 /\b(?:get|got|be|being) fired (?:if|unless)\b/
phrase prs.guilt_trip pressure_tactics 0.9 guilt trip*
phrase prs.guilt_tripped pressure_tactics 0.9 guilt-tripped
phrase prs.fearmongering pressure_tactics 0.9 fearmongering
phrase prs.fear_mongering pressure_tactics 0.9 fear mongering
phrase prs.scare_tactic pressure_tactics 1.0 scare tactic*
regex  prs.scared_into pressure_tactics 1.0 /\b(?:scared|frightened|bullied|badgered|harassed|guilted|shamed|rushed|hurried|panicked|cornered) (?:me|us|my \w+|him|her|them)? ?(?:into|to) (?:sign|buy|pay|switch|agree|book|commit)/
phrase prs.emotional_blackmail pressure_tactics 1.0 emotional blackmail
regex  prs.other_buyer pressure_tactics 1.0 /\b(?:another|other|a) (?:couple|buyer|customer|family|person|guy|lady|dealer)\b[^.!?\n]{0,20}\b(?:coming|looking at|interested in|about to buy|wants? (?:it|this|the))\b/
regex  prs.last_one pressure_tactics 0.8 need=last /\b(?:the )?last (?:one|unit|car|room|seat|spot|membership|truck|model)\b[^.!?\n]{0,25}\b(?:at (?:this|that) price|left|available|in stock)\b/
regex  prs.doing_favor pressure_tactics 0.5 need=favor,favour /\bdoing (?:you|me|us) a (?:favor|favour)\b/
regex  prs.called_n_times pressure_tactics 0.8 /\bcall(?:ed|ing)? (?:me |us |my \w+ )?(?:at (?:work|home|night) )?(?:\d+|six|seven|eight|nine|ten|a dozen|dozens of|multiple|several|many) times\b/
regex  prs.kept_calling pressure_tactics 0.6 /\b(?:kept|keeps|keep|wouldn'?t stop|won'?t stop|didn'?t stop) (?:calling|texting|emailing|knocking|coming back|following)\b/
regex  prs.blocked_door pressure_tactics 1.0 /\b(?:locked|blocked|stood in|sat (?:between|in front of)|between me and) (?:the|my|our)? ?(?:door|exit|way out|showroom door)\b/
regex  prs.to_get_out pressure_tactics 1.0 need=get,make,end /\b(?:just|only) to (?:get (?:out|away|him out|her out|them out|rid of (?:him|her|them))|make (?:it|him|her|them) stop|end the call)\b|\bto get (?:out of (?:there|the (?:office|room|dealership|store|showroom|building|house))|(?:him|her|them) (?:out|off my (?:porch|property|lawn)))\b/
regex  prs.cut_off_scare pressure_tactics 0.8 /\b(?:would|will|could|gonna|going to) (?:be )?(?:get )?(?:cut off|shut off|disconnected|fined|flagged|sued|arrested|lose (?:power|service|coverage))\b[^.!?\n]{0,40}\b(?:if|unless)\b/
regex  prs.hours_held pressure_tactics 0.8 /\b(?:held|kept|sat|stuck) (?:us|me|there)\b[^.!?\n]{0,20}\b(?:\d+|three|four|five|six) hours\b/
regex  prs.chased pressure_tactics 0.8 /\b(?:chased|followed) (?:me|us)\b[^.!?\n]{0,20}\b(?:to|out|into|around|down)\b/
regex  prs.what_would_it_take pressure_tactics 0.6 /\bwhat (?:would|will|do) it take\b/
regex  prs.deal_off pressure_tactics 0.7 need=deal /\bdeal'?s off\b|\bdeal is off\b/
phrase prs.in_a_panic pressure_tactics 0.5 in a panic
regex  prs.expiring_today pressure_tactics 0.8 need=expir,ends,runs,goes /\b(?:expir(?:ing|es)|ends|runs out|goes up)\b[^.!?\n]{0,10}\b(?:today|tonight|tomorrow|at midnight|in (?:an|one) hour)\b[^.!?\n]{0,60}\b(?:had to|have to|must|needed to|on the spot|right now|or)\b/
regex  prs.no_time_read pressure_tactics 0.7 /\b(?:no time |not (?:even )?(?:given|allowed|let) (?:time )?)to (?:read|think|review|look)\b/
regex  prs.fear_to_sell pressure_tactics 0.9 need=fear,scare,guilt,intimidat,panic /\b(?:use|uses|using|used) (?:fear|scare tactics|guilt|intimidation|panic)\b|\bscared (?:the (?:daylights|hell|crap|life) out of|me half to death)\b/
regex  prs.said_no_times pressure_tactics 1.0 need=no /\b(?:said|told (?:him|her|them|the \w+)) no\b(?:[^.!?]{0,30}\b|[.!] )(?:\d+|two|three|four|five|six|seven|eight|multiple|several|many|a dozen) times\b/
regex  prs.today_only_quoted pressure_tactics 0.5 need=today,tonight,day /["'](?:[^"'\n]{0,20} )?(?:today|tonight|one[- ]day) only\b/
regex  prs.unless_signed_now pressure_tactics 0.8 need=unless /\bunless (?:she|he|i|we|they|you) (?:didn'?t |did not |don'?t |do not )?(?:sign|signed|buy|bought|switch|switched|agree|agreed|commit|committed)\b[^.!?\n]{0,40}\b(?:right now|right then|today|tonight|on the spot|immediately)\b/
regex  prs.manager_shuffle pressure_tactics 0.5 need=manager,boss /\b(?:check|talk|speak|go) (?:with|to) (?:my|his|her|the|their) (?:manager|boss|sales manager|finance manager|supervisor)\b|\b(?:new|another|different|three|four) ["']?managers?["']?/
regex  prs.manipulation pressure_tactics 0.6 need=manipulat /\bmanipulat\w*\b/
regex  prs.threatened pressure_tactics 0.8 need=threat /\bthreaten\w* (?:me|us|my \w+|her|him|them)\b[^.!?\n]{0,40}\b(?:with|that|if|unless)\b/
regex  prs.stayed_until pressure_tactics 0.9 need=stayed,sat,until,till /\b(?:stayed|sat|lingered|camped)\b[^.!?\n]{0,30}\b(?:until|till|til) (?:\d|midnight|(?:i|we|she|he|my \w+) (?:signed|agreed|gave in|bought))/
regex  prs.vulnerable_target pressure_tactics 0.5 need=elderly,senior,yo,old,grand,widow,grieving /\b(?:elderly|senior citizen|\d{2} ?(?:yo|y\/o|year[- ]old)|grandm\w*|grandpa|widow\w*|grieving)\b.{0,80}?\b(?:signed|sign|pressur\w*|scared|pushed|talked (?:her|him|them) into|sold (?:her|him|them))\b/
# let go only after, or held until they gave in
regex  prs.only_let_go pressure_tactics 1.0 need=let,allowed /\b(?:only|finally) (?:let|allowed) (?:us|me|them|him|her|my \w+) (?:go|leave|out)\b|\b(?:let|allowed) (?:us|me) (?:go|leave) (?:only )?(?:after|once)\b/
regex  prs.until_gave_in pressure_tactics 0.8 need=until,till /\b(?:until|till|til) (?:i|we|she|he|they|my \w+) (?:finally |just )?(?:caved|gave in|cracked|relented|broke|said yes|signed|bought|agreed)\b/
regex  prs.kept_saying_until pressure_tactics 0.6 need=kept,keeps,stop /\b(?:kept|keeps|kept on|wouldn'?t stop|didn'?t stop|won'?t stop) (?:saying|asking|pushing|insisting|repeating|telling|pitching|calling|texting|coming back|at (?:me|it|us))\b/
regex  prs.wouldnt_go_away pressure_tactics 1.0 need=get,go,hang,back /\b(?:wouldn'?t|would not|won'?t|refused to|didn'?t) (?:get off|go away|hang up|back off|step off|get out of)\b/
# the spot, the price or the approval is about to be taken away
regex  prs.given_away pressure_tactics 0.9 need=given,released,sold,gone,pulled,lost,pull /\b(?:your|the|my|our|this) (?:spot|place|seat|slot|room|unit|car|rate|price|approval|deal|appointment|financing|offer)\b[^.!?\n]{0,20}\b(?:is being|will be|would be|gets|goes|get|go|is) (?:given away|given to (?:someone|another)|released|sold to (?:someone|another)|gone|pulled|lost)\b|\b(?:pulls?|pulled|pulling|loses?|losing) (?:the|your|my) (?:approval|financing|spot|rate)\b/
regex  prs.few_left pressure_tactics 0.5 need=left,remaining,available /\b(?:only|just) (?:have |got |has |had )?(?:\d+|one|two|three|a (?:couple|few)|a handful of) (?:more )?(?:spots?|slots?|units?|seats?|rooms?|appointments?|openings?|memberships?|cars?|places?)\b[^.!?\n]{0,20}\b(?:left|remaining|available)\b/
regex  prs.contact_barrage pressure_tactics 0.6 need=texts,calls,emails,voicemails,messages /\b(?:\d{1,3}|a dozen|dozens of|twenty|fifteen|ten) (?:texts|calls|emails|voicemails|messages|phone calls)\b[^.!?\n]{0,40}\b(?:in|within|over|per|a) (?:\d+|two|three|one|a|an|the same|a single) (?:days?|hours?|week|mornings?|afternoon|evening)\b/
regex  prs.job_threat pressure_tactics 1.0 need=job,fired,trouble /\b(?:lose (?:his|her|their) job|still have a job|get (?:him|her|them) fired|(?:be|get) in trouble with (?:his|her|their) (?:boss|manager))\b/
regex  prs.withheld_until pressure_tactics 1.0 need=until /\b(?:wouldn'?t|would not|won'?t|refused to|didn'?t)\s+(?:\w+\s+){0,3}?until (?:i|we|she|he|my \w+) (?:agreed|signed|bought|upgraded|paid|said yes|committed)\b/
regex  prs.hours_at_table pressure_tactics 0.7 need=hours,hrs /\b(?:sitting|sat|stayed|camped|parked|stood)\b[^.!?\n]{0,40}\bfor (?:\d+|two|three|four|five|six) (?:hours|hrs)\b/
regex  prs.pushing pressure_tactics 0.5 need=pushing /\b(?:kept|keeps|was|were|started|been|kept on|hard) pushing\b|\bpushing (?:an?|the|his|her|their|this|that) (?:\w+ )?(?:annuity|warranty|plan|package|upgrade|policy|card|loan|membership|contract|timeshare|product|insurance|system)\b/
regex  prs.dont_ask_family pressure_tactics 1.0 need=need,let /\b(?:don'?t|didn'?t|doesn'?t|no) need (?:to )?(?:ask |call |talk to |check with |consult )?(?:your|his|her|their) (?:son|daughter|kids?|children|wife|husband|spouse|partner|family|lawyer|accountant|advisor)\b|\b(?:wouldn'?t|won'?t|didn'?t) let (?:me|us|him|her|them|my \w+) (?:call|ask|talk to|check with|consult)\b/
regex  prs.every_no pressure_tactics 1.0 need=every /\bevery (?:single )?(?:no|time (?:i|we|she|he) said no|time (?:i|we) tried to leave)\b/
regex  prs.kept_me pressure_tactics 0.9 need=kept /\bkept (?:me|us|my \w+) (?:on the (?:phone|line)|there|in (?:the|his|her|their|a) (?:office|booth|room)|at the (?:table|desk|dealership)|for (?:an hour|hours|\d+ (?:minutes|hours|mins|hrs)))\b/

# ---------------------------------------------------------------------------
# fake_discount: an invented reference price, sale, scarcity or countdown.

regex  fdc.fake_sale fake_discount 1.2 /\b(?:fake|phony|phoney|bogus|made[- ]up|fictional|fictitious|inflated|invented|imaginary|fraudulent) (?:sale|discount|markdown|mark[- ]down|countdown|timer|urgency|scarcity|deal|original price|reference price|regular price|list price|msrp|retail price|was price|clearance|closing sale)s?\b/
regex  fdc.never_was_price fake_discount 1.1 /\bnever (?:been|sold (?:at|for)|existed|cost|charged|was|once been|actually been)\b[^.!?\n]{0,15}[$£€]\d/
regex  fdc.reference_price_fake fake_discount 1.1 need=price,rate,msrp,was,reg /(?:\b(?:was|original|regular|list|retail|reference|sticker|crossed[- ]out|struck[- ]through|full|normal)"? (?:price|rate)|\bmsrp|["'](?:was|reg)\b[^"'\n]{0,12}["']?)\b.{0,80}?\b(?:never (?:existed|charged|sold|been|quoted)|never (?:the |a |an )?(?:actual|real)|decoration|pure fiction|(?:nobody|no one) has (?:ever )?(?:been )?(?:quoted|charged|paid)|doesn'?t exist anywhere|doesn'?t exist|does not exist|made up|invented|fiction|fictional|fantasy|imaginary|inflated|fake|a joke|nobody (?:ever )?pays|no one (?:ever )?pays|nobody was ever charged|never real)\b/
regex  fdc.cheaper_elsewhere fake_discount 0.7 need=same,cheaper,less /\b(?:same|identical|exact same) (?:room|item|product|thing|car|flight|model|package|tv|deal|hotel|ticket)s? (?:\w+ ){0,3}(?:for less|cheaper)\b|\bcheaper (?:on|at|from|directly|elsewhere|on their own)\b/
regex  mis.free_then_cost misrepresentation 0.9 need=free,included,charge,cost,complimentary,waived,fee /\b(?:said|told|promised|claimed|assured|advertised|listed|insisted|swore|guaranteed)\b.{0,80}?\b(?:free|included|no charge|no cost|complimentary|waived|no fee)\b.{0,150}?(?:\b(?:costs?|charged|billed|bill|fee|pay|paid|invoice)\b|[$£€]\d)/
regex  mis.quoted_claim_changed misrepresentation 0.9 need=",' /(?<!\w)["'](?:fixed|locked|guaranteed|flat|no[- ]fee|free|unlimited|lifetime|price[- ]locked|no contract|all[- ]inclusive|included)[^"'\n]{0,20}["'](?!\w)[^.!?\n]{0,40}\b(?:jumped|went up|increased|doubled|changed|expired|ended|wasn'?t|isn'?t|cost|costs|charged)\b/
regex  fdc.always_on_sale fake_discount 1.0 /\b(?:always|permanently|perpetually|constantly|forever|every (?:week|day|month)) (?:on sale|discounted|marked down|(?:\d+|half) ?% off|having a sale)\b/
regex  fdc.permanent_sale fake_discount 1.0 /\b(?:permanent|perpetual|constant|never[- ]ending|endless|forever|year[- ]round|eternal|permanent) (?:sale|discount|markdown|clearance|closing sale|promo|promotion|"sale")\b/
regex  fdc.sale_since fake_discount 0.9 need=sale,discount,promo,deal,offer,closing,markdown,clearance,countdown,rate,price,launch /\b(?:sale|discount|promo|promotion|deal|offer|closing|markdown|clearance|countdown|rate|price|launch)\b[^.!?\n]{0,40}\b(?:since (?:19|20)\d\d|since (?:i was|we were|forever|at least|last (?:year|spring|summer|fall|autumn|winter))|for (?:\d+|two|three|six|several|many) (?:weeks|months|years) (?:straight|now|running)|has (?:been )?(?:run|running|going on|on)\b[^.!?\n]{0,30}\bfor (?:\d+|two|three|four|five|six|several|many) (?:weeks|months|years)|has (?:been )?run(?:ning)? (?:continuously|since)|runs? from \w+ (?:to|through|until) \w+|continuously)\b/
regex  fdc.raised_before fake_discount 1.1 /\b(?:raised|hiked|jacked|bumped|inflated|marked up|increased|doubled) (?:up )?(?:the |their |its |my )?(?:\w+ )?(?:price|prices|msrp|rate|list price)\b[^.!?\n]{0,40}?\b(?:before|right before|just before|ahead of|the (?:week|day|month) before|then)\b/
regex  fdc.raised_then_off fake_discount 1.0 /\bprice went (?:from|up)\b.{0,60}?\b(?:then|and then|before)\b.{0,40}?\b(?:off|sale|discount|deal)\b/
regex  fdc.bumped_up fake_discount 0.7 need=up /\b(?:bumped|jacked|marked|hiked|pushed|inflated|doubled|raised) (?:it|the price|prices|them|the msrp) up\b|\b(?:raised|hiked|inflated|doubled|upped) the (?:price|prices|msrp) (?:first|beforehand|right before)\b/
regex  fdc.sale_was_regular fake_discount 1.0 need=sale,discount,deal,clearance,promo,% /(?:\b(?:sale|discount|deal|clearance|promo)|% off)["']? (?:price|rate)? ?(?:was|is|=) (?:just |literally |exactly |basically )?(?:what (?:they|i|we|it) (?:charged|paid|cost|was|had)|the (?:regular|normal|usual|old|same|full|everyday) (?:price|rate)|the same (?:as|price)|what it'?s (?:always )?been|what it was)\b/
regex  fdc.scare_quoted_sale fake_discount 0.5 need=",' /(?<!\w)["'](?:sale|discount|deal|clearance|markdown|savings|bargain|special offer|limited time|limited edition|loyalty discount|launch price|original|was|doorbuster|going out of business|closing|member price|today only)["'](?!\w)/
regex  fdc.countdown_resets fake_discount 1.1 need=countdown,timer,clock,deal,expires,ends /\b(?:countdown|timer|clock|deal ends|expires in|ends in|offer ends)\b.{0,160}?\b(?:resets?|restart\w*|starts? over|refresh(?:es)?|reload|again|still (?:there|up|running|counting|ticking|at)|back (?:to|at)|same (?:time|number|timer|countdown)|every (?:time|visit|day))\b/
regex  fdc.only_n_left_still fake_discount 1.0 need=only /\bonly \d+ (?:left|spots?|seats?|rooms?|units?|memberships?|remaining|made|available|produced|pieces)\b.{0,120}?\b(?:for (?:\d+ |a few |two |three |several |many |a |one )?(?:days?|weeks?|months?|years?)|still \d+|always \d+|every (?:time|day)|since|never (?:sold out|ran out|filled)|(?:\d+|several|many|few) (?:days|weeks|months) later|still (?:on sale|available|there|listed))/
regex  fdc.still_n_left fake_discount 0.5 /\b(?:still|always) (?:\d+|two|three)\b(?! (?:hours?|days?|weeks?|months?|years?|minutes?|times|calls|emails|stars))/
regex  fdc.ends_again fake_discount 1.0 need=end,today,flash,chance,hours,limited,weekend /\b(?:ends? (?:tonight|today|sunday|friday|soon|at midnight)|today only|flash sale|last chance|final hours|limited time|this weekend only)\b.{0,140}?\b(?:again|every (?:week|day|time|weekend)|yesterday|the day before|for (?:weeks|months)|since|still|always|continuously|back again|same prices|every single (?:time|day|week))\b/
regex  fdc.been_sunday fake_discount 1.0 /\b(?:it'?s|has) been (?:sunday|friday|black friday|cyber monday|the last day) for (?:weeks|months|years)\b/
regex  fdc.paid_less_before fake_discount 0.9 /\b(?:i|we) (?:paid|bought (?:it|one|mine)? ?(?:for|at))\b[^.!?\n]{0,10}[$£€]\d[^.!?\n]{0,40}\b(?:same|exact same|identical)\b/
regex  fdc.not_real_discount fake_discount 0.8 /\b(?:isn'?t|wasn'?t|not|don'?t call (?:that|it|this)) (?:a |an |really a |an actual |the )?(?:real |actual |true )?(?:sale|discount|deal|savings)\b/
regex  fdc.same_price_deal fake_discount 0.7 /\b(?:same|exact same|identical|the normal|the regular|the usual|the standard) (?:price|prices|rate)\b[^.!?\n]{0,60}\b(?:deal|discount|sale|member|logged out|last (?:month|week|year)|before|as (?:the|last))\b/
regex  fdc.deal_same_price fake_discount 0.7 /\b(?:deal|discount|member|sale|promo|offer)\b.{0,100}?\b(?:exact same|the same|identical|same) (?:price|prices|rate|total)\b/
regex  fdc.my_actual_price fake_discount 0.6 /\bmy (?:old|actual|previous|real|last|original|current) (?:rate|price|bill) (?:was|is)\b/
regex  fdc.listed_as fake_discount 0.6 /\b(?:old|previous|original|regular|was|reference|list|"old) (?:rate|price)"?\b[^.!?\n]{0,10}\b(?:listed|shown|claimed|stated|given|quoted|marked) as\b/
regex  fdc.price_tracker fake_discount 0.6 need=price,wayback,archive,camel,keepa /\b(?:price (?:history|tracker|tracking|chart)|wayback machine|archive(?:\.org)? (?:shows|only)|camelcamelcamel|keepa)\b/
regex  fdc.scarcity_random fake_discount 0.9 need=number,count,people /\b(?:number|count|counter|people (?:booked|looking|viewing))\b[^.!?\n]{0,40}\b(?:randomly|changes? (?:randomly|on refresh|every)|jumps? around|resets?|made up|fake)\b/
regex  fdc.off_inflated fake_discount 1.0 /\b(?:off|from|off of)\b[^.!?\n]{0,10}\b(?:a|an|the|their|its)? ?(?:new |newly )?(?:inflated|fake|made[- ]up|invented|bogus|jacked[- ]up) (?:price|rate|"?standard rate"?|"?regular"?|msrp)\b/
regex  fdc.back_to_before fake_discount 0.8 /\bback to (?:what it was|the (?:old|original|previous) (?:price|rate)|where it was) before\b/
regex  fdc.no_regular_price fake_discount 0.9 /\bno (?:real |actual )?(?:regular|original|full|normal) price\b/
regex  fdc.member_deal_decoration fake_discount 0.7 /\b(?:deal|discount|sale) is (?:decoration|fake|a lie|fiction|meaningless|theater|theatre)\b/
phrase fdc.discount_word fake_discount 0.15 discount*
phrase fdc.was_price_never fake_discount 0.9 was .. never existed
regex  fdc.doorbuster_receipt fake_discount 0.7 /\b(?:receipt|price history|last (?:month|year|week)|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b[^.!?\n]{0,40}\b(?:i|we) paid [$£€]\d/
regex  fdc.compare_at_fake fake_discount 1.0 need=compare,comparable,value /\b(?:"?compare[- ]at"?|comparable value|"?valued at"?|"?value"?)\b.{0,100}?\b(?:never (?:existed|sold|charged|been)|made up|invented|fiction|fake|doesn'?t exist|nowhere|made for the outlet|outlet[- ]only|never sold anywhere|there (?:is|are|was) no\b|(?:nobody|no one|no (?:store|shop|retailer)) (?:sells?|sold|charges?|carries)\b|only (?:make|made|sell|sold) (?:it |them )?(?:for|at) (?:the )?outlet)/
regex  fdc.scarcity_claim fake_discount 0.5 need=people,others,left,viewing,looking,watching /\b\d+ (?:people|others|users|travell?ers|shoppers|customers) (?:are )?(?:looking at|viewing|watching|have (?:this|it) in (?:their|the) cart|booked (?:this|in the last))\b/
regex  fdc.urgency_proved_false fake_discount 0.6 need=move,change,sell,run,went,go,never,didn,did /\b(?:price|it|the (?:\w+ )?(?:deal|rate|fare)|they) (?:didn'?t|did not|never) (?:move|change|go up|went up|sell out|sold out|run out|ran out)\b/
# a reference price nobody ever paid ("normally $45", "was $299")
regex  fdc.normally_nobody fake_discount 1.0 need=normally,regularly,usually,originally,was,reg,list,retail,msrp /\b(?:normally|regularly|usually|originally|was|reg\.?|list|retail|msrp)\b\s*["']?[$£€]?\d[^.!?\n]{0,80}?(?:[.!?] )?\b(?:nobody|no one|never|not once)\b[^.!?\n]{0,20}\b(?:paid|pays|charged|existed|sold|cost|seen|been)\b/
# the same sale every holiday, or a sale that never ends
regex  fdc.sale_every fake_discount 0.8 need=sale,off,discount,deal /\b(?:sale|% off|discount|deal)\b.{0,80}?\b(?:every|each|any|another) (?:holiday|weekend|week|month|day|sunday|monday|tuesday|wednesday|thursday|friday|saturday|time (?:i|we) (?:look|check|visit))\b/
regex  fdc.going_out_of_business fake_discount 1.0 need=business,closing /\b(?:going out of business|closing down|store closing|closing sale)\b.{0,120}?\b(?:since (?:19|20)\d\d|since (?:i was|we were|forever|at least|before)|for (?:\d+|two|three|several|many) (?:years|months)|still open|(?:\d+|two|three) years (?:later|now|running))\b/
regex  fdc.raised_then_sale fake_discount 0.9 need=raised,hiked,jacked,upped,increased,bumped,marked /\b(?:raised|hiked|jacked|upped|increased|bumped|marked up)\b.{0,80}?\b(?:then|and|before|so|a week later|the next day|days later)\b[^.!?\n]{0,40}(?:\d+ ?% off|\bsale\b|\bdiscount\w*|\bdeal\b|\bmarked (?:it )?down\b)/
regex  fdc.same_as_before fake_discount 0.8 need=same,paid,july,june,month,week,year /\b(?:the )?(?:same|identical|exact same) [$£€]?\d[\d,.]*(?:\/\w+)? (?:i|we) (?:paid|got|saw|had)\b|\b(?:is|was) (?:just |literally )?(?:the same|what (?:i|we) paid) (?:price )?(?:as )?(?:in|last|before|a (?:week|month|year) ago|two (?:weeks|months) ago)\b/
regex  fdc.discount_after_raise fake_discount 0.9 need=discount,credit,off,loyalty /\b(?:discount|credit|[$£€]\d+ off|loyalty \w+)\b.{0,80}?\bafter (?:they |it )?(?:rais|hik|increas|jack|bump)\w*(?: up)? (?:my|the|our|their) (?:plan|price|rate|bill|premium|rent)\b/
regex  fdc.fake_scarcity fake_discount 0.9 need=scarcity,inventory,stock,left /\b(?:fake|phony|bogus|made[- ]up|invented|manufactured|artificial) (?:scarcity|inventory|stock count|urgency)\b|\b(?:only|just) \d+ left\b.{0,60}?\b(?:always|every (?:day|time)|for (?:days|weeks|months)|still)\b/
# the counter, stock or price changes with the browser, not with the stock
regex  fdc.reload_changes fake_discount 1.0 need=reload,refresh,private,incognito,logged,browser /\b(?:reload\w*|refresh\w*|private (?:tab|window)|incognito|logged out|another browser|different browser)\b.{0,100}?(?:\bonly \d+|\b\d+ (?:left|seats|rooms|people|spots)\b|[$£€]\d|\bcheaper\b|\blower price\b|\bdifferent price\b)/
# a discount off a rate nobody was ever quoted
regex  fdc.off_phantom fake_discount 1.0 need=off,discount,saving /\b(?:\d+ ?%|[$£€]\d+)\s+(?:is |was |are )?(?:off|discount|savings?)\b.{0,80}?\b(?:nobody|no one|never)\b[^.!?\n]{0,30}\b(?:paid|pays|quoted|charged|seen|existed|sold)\b/
# bought before, at the "sale" price or less
regex  fdc.bought_before_less fake_discount 0.7 need=receipt,history,last,january,february,march,april,may,june,july,august,september,october,november,december,before /\b(?:receipt|price history|last (?:month|year|week)|(?:in|from) (?:january|february|march|april|may|june|july|august|september|october|november|december)|before the (?:sale|event))\b[^.!?\n]{0,50}\b(?:paid|bought|got|was)\b[^.!?\n$£€]{0,25}[$£€]\d/
# the same item at the "sale" price before, elsewhere or without the sticker
regex  fdc.same_item_was fake_discount 0.9 need=same,identical /\b(?:the )?(?:same|identical|exact same) (?:\w+ ){0,2}(?:was|were|is|are|sold for|went for|cost|costs|for) (?:just |only )?[$£€]\d[^.!?\n]{0,60}\b(?:last (?:week|month|year)|before|in (?:the )?(?:main|other|regular)|yesterday|elsewhere|a (?:week|month) ago|earlier|without)\b/
# "prices rising soon!", then cheaper later
regex  fdc.urgency_then_cheaper fake_discount 1.0 need=rising,going,goes,increase,rise,last,selling,almost,chance /\b(?:rising|going up|goes up|increase|will rise|won'?t last|selling fast|almost gone|last chance)\b.{0,120}?\b(?:later|after|next (?:day|week))\b[^.!?\n]{0,40}\b(?:cheaper|lower|less|dropped|same price|still (?:there|available|on sale))\b/

# ---------------------------------------------------------------------------
# unauthorized_charges: charged, enrolled, opened accounts or added lines
# without consent.

phrase una.never_signed_up unauthorized_charges 1.2 never signed up
regex  una.never_authorized unauthorized_charges 1.2 need=never /\bnever (?:once )?(?:signed up|subscribed|enrolled|joined|registered|opted in|agreed to (?:this|that|it|any|a|the)|consented|signed (?:anything|for|a|the|up)|gave (?:permission|consent))\b|\b(?:i|we|she|he) (?:have |had |has )?never (?:had an account|banked|been a customer)\b/
regex  una.never_selected unauthorized_charges 1.0 need=select,pick,chose,choose,click,order,request,buy,bought,purchas,add /\b(?:never|didn'?t|did not) (?:selected?|picked?|chose|choose|clicked?|ordered|order|requested|request|buy|bought|purchased?|add(?:ed)?) (?:it|this|that|them|one|those|these)\b/
regex  una.didnt_do_anything unauthorized_charges 1.0 need=anything /\b(?:i|we) (?:didn'?t|did not|never|have not|haven'?t) (?:upgrade|change|add|order|buy|sign up for|authori[sz]e|approve|agree to|click|select|purchase|renew) anything\b/
regex  una.didnt_authorize unauthorized_charges 1.1 /\b(?:didn'?t|did not|have not|haven'?t|had not|hadn'?t|never) (?:ever )?(?:authori[sz]e|approve|agree to|consent to|request|order|sign up for|subscribe to|enroll in|opt in(?:to)?|ask for|choose|select|want)\b[^.!?\n]{0,25}\b(?:charges?|fees?|subscriptions?|renewals?|plans?|services?|memberships?|upgrades?|add[- ]?ons?|insurance|warrant(?:y|ies)|protection|packages?|products?|lines?|tiers?|boxes|contracts?|agreements?|trials?|programs?|coverage|any of (?:it|this|that|them)|either)\b/
regex  una.without_consent unauthorized_charges 1.2 /\b(?:charg|bill|enroll|sign|open|add|switch|renew|upgrad|subscrib|activat|sold|put|chang|regist|order|ship|sent|install)\w*\b[^.!?\n]{0,60}\bwithout (?:my|our|her|his|their|the customer'?s|any) (?:\w+ )?(?:consent|permission|authori[sz]ation|knowledge|approval|agreement|say[- ]so|signature)\b|\b(?:charg|bill|enroll|sign|open|add|switch|renew|upgrad|subscrib|activat|put|chang|regist|ran|pull)\w*\b[^.!?\n]{0,60}\bwithout (?:even )?(?:asking|telling|notifying|informing|consulting|checking with)\b/
regex  una.without_consent_bare unauthorized_charges 0.5 /\bwithout (?:my|our|her|his|their) (?:\w+ )?(?:consent|permission|authori[sz]ation|knowledge|approval|agreement|signature)\b/
regex  una.didnt_open_account unauthorized_charges 1.0 /\b(?:i|we) (?:didn'?t|did not|never|have never|had never) (?:open|opened|apply for|applied for|request|requested|authori[sz]e|authori[sz]ed|sign up for|signed up for)\b[^.!?\n]{0,15}\b(?:accounts?|cards?|credit cards?|lines? of credit|loans?)\b/
regex  una.without_asking unauthorized_charges 0.6 /\bwithout (?:even )?(?:asking|telling)\b/
regex  una.opened_in_my_name unauthorized_charges 1.2 /\b(?:opened|open|opening|applied for|took out|created|set up|started)\b[^.!?\n]{0,40}\b(?:in|under|using|with) (?:my|our|her|his) (?:name|ssn|social|identity|information|info)\b/
regex  una.account_opened_without unauthorized_charges 1.0 /\b(?:accounts?|cards?|lines?|loans?)\b[^.!?\n]{0,20}\b(?:was|were|been|got) (?:opened|added|created|activated)\b[^.!?\n]{0,30}\b(?:without|in my name|under my name|that i (?:never|didn'?t|did not))\b/
phrase una.in_my_name unauthorized_charges 0.4 in my name
regex  una.auto_renewed unauthorized_charges 0.9 need=renew /\bauto[- ]?renew(?:ed|s)? (?:my|me|us|our|without|for|at|on)\b/
regex  una.renewed_silently unauthorized_charges 0.9 need=renewed,enrolled,rolled,converted,upgraded,switched,moved,became,silently,quietly,automatically /\b(?:renewed|re-?enrolled|rolled (?:over|me)|converted|upgraded|switched|moved|became)\b[^.!?\n]{0,40}\b(?:automatically|silently|without (?:asking|notice|telling|warning|my))\b|\b(?:silently|quietly|automatically) (?:renewed|re-?enrolled|converted|upgraded|switched|became|charged|billed)\b/
regex  una.renewed_after_off unauthorized_charges 1.0 need=renew /\b(?:renewed|auto[- ]?renewed|charged|billed)\b.{0,80}?\bafter (?:i|we) (?:had )?(?:turned|switched|set) (?:off )?(?:the )?auto[- ]?renew(?:al)?(?: off)?\b/
phrase una.auto_renew unauthorized_charges 0.4 auto-renew*
regex  una.trial_charged unauthorized_charges 1.1 need=trial /\btrial\b.{0,120}?(?<!never )(?<!not )(?<!n't )(?<!wasn't )\b(?:charged|billed|charge|took|debited)\b/
regex  una.cancelled_still_charged unauthorized_charges 1.1 /\bcancel(?:l?ed|l?ing|lation)?\b.{0,120}?\b(?:still (?:charg|bill|tak|debit)\w*|(?:charg|bill)(?:ed|ing) (?:me |us |my \w+ )?(?:again|anyway|every month|each month|for (?:another|\d+ more|two more|months))|kept (?:charg|bill|tak|debit)\w*|keeps? (?:charg|bill|tak|debit)\w*|continu\w+ (?:to )?(?:charg|bill)\w*|(?:charges?|charged|billed) (?:me |us )?(?:again|anyway)|(?:got|was|were|been|get|getting) (?:charged|billed)|they (?:still |then |also |just )?(?:charged|billed|debited|took (?:money|payment|another|[$£€]))\b)/
regex  una.charged_after_cancel unauthorized_charges 1.0 /\b(?:charg|bill|debit)\w*\b[^.!?\n]{0,60}\bafter (?:i|we|my \w+) (?:had )?(?:cancel\w*|moved|closed|returned|declined)\b/
regex  una.charged_cancelled_ago unauthorized_charges 1.0 /\b(?:charg|bill|debit)\w*\b.{0,100}?\bcancell?ed\b[^.!?\n]{0,20}\b(?:a (?:year|month|week)|\d+ (?:years?|months?|weeks?)|months|weeks|last (?:year|month|week)) ago\b/
regex  una.charged_declined unauthorized_charges 1.0 /\b(?:charg|bill|debit)\w*\b.{0,80}?\b(?:i|we|she|he) (?:had |explicitly |specifically |clearly )?(?:declined|refused|said no|turned down|rejected|opted out of)\b/
regex  una.billed_more_than_agreed unauthorized_charges 1.0 /\b(?:billed|charged|invoiced)\b[^.!?\n]{0,20}\bfor (?:\d+|more)\b[^.!?\n]{0,40}\b(?:when|but|after|though|although) (?:we|i)(?:'d| had)? (?:agreed|signed|ordered|asked|contracted) (?:on|for|to)\b/
regex  una.never_lived unauthorized_charges 0.6 /\b(?:address|place|state) (?:i|we)(?:'ve| have)? never (?:lived|been)\b/
regex  una.charged_twice unauthorized_charges 0.9 need=charged,billed /\b(?:charged|billed) (?:me |us |my card )?(?:twice|two times|three times|double)\b|\bdouble[- ]charged\b/
regex  una.charged_for_never unauthorized_charges 1.0 need=charg,bill,ran,run /\b(?:charg\w*|bill\w*|ran (?:my|our) card|run (?:my|our) card)\b(?:[^.!?\n]|[.!?] ){0,100}?\b(?:i|we) (?:never|didn'?t|did not) (?:ask|order|request|sign|select|pick|choose|use|agree|want|approve|authori[sz]e|get|receive|open|watch|attend|eat|drink|take|make|book|\w+ed)\b/
regex  una.billed_after_closing unauthorized_charges 1.0 need=closed,cancel,left,ended,terminated,moved /\b(?:closed|cancell?ed|left|ended|terminated|moved out)\b[^.!?\n]{0,40}\b(?:ago|already|last (?:month|week|year))\b.{0,80}?\b(?:hit (?:me |us )?with|charged|billed|sent (?:me|us) a|got a|new)\b[^.!?\n]{0,40}\b(?:bill|invoice|charge|fee|[$£€]\d)/
regex  una.signed_me_up_instead unauthorized_charges 1.0 need=asked,wanted,requested,ordered,chose /\b(?:asked for|wanted|requested|ordered|chose|picked) (?:the|a|just the|only the|their) (?:\w+ ){0,3}(?:plan|package|tier|model|option|room|version|trim|membership|subscription)\b.{0,80}?\b(?:signed (?:me|us) up|put (?:me|us) (?:on|in|into)|enrolled (?:me|us)|switched (?:me|us)|moved (?:me|us)|(?:billed|charged) (?:me|us) for)\b/
regex  una.never_asked unauthorized_charges 0.8 /\b(?:never|didn'?t|did not)( even)? (?:asked? for|ordered|requested|wanted|agreed to|opted in(?:to)?)\b/
# nobody in the household agreed; the author does not remember agreeing
regex  una.nobody_signed_up unauthorized_charges 1.0 need=nobody,one,none,neither /\b(?:nobody|no one|none of us|neither of us)\b[^.!?\n]{0,25}\b(?:signed up|subscribed|ordered|asked for|agreed to|authori[sz]ed|requested|enrolled|opted in)\b/
regex  una.dont_remember_agreeing unauthorized_charges 1.0 need=remember,recall /\b(?:don'?t|do not|didn'?t|did not|never|can'?t|cannot) (?:ever )?(?:remember|recall) (?:ever )?(?:agreeing|signing|authori[sz]ing|ordering|opting|subscribing|enrolling|consenting|asking|requesting|approving|buying)\b/
# a charge, then "it wasn't me"
regex  una.wasnt_me unauthorized_charges 0.8 need=me /\b(?:charg|bill|tip|edit|add|approv|authori|sign|order|subscri|enrol|debit)\w*\b.{0,80}?(?:\b(?:it |and it |but it )?(?:wasn'?t|was not) me\b|\? (?:definitely |certainly |sure )?not me\b)/
# the card was taken "for verification" and then charged
regex  una.card_for_verification unauthorized_charges 0.9 need=verif,hold /\b(?:card|card number|payment info\w*|card details)\b[^.!?\n]{0,30}\b(?:for verification|to verify|just to verify|verification only|for (?:a |the )?hold|as a hold)\b.{0,80}?(?:[$£€]\d|\bcharg|\bbill)/
regex  una.enrolled_me unauthorized_charges 1.0 /\b(?:enrolled|signed|opted|put|subscribed|switched|moved|added|re-?enrolled) (?:me|us|my (?:\w+ )?(?:mom|dad|mother|father|wife|husband|grandma|grandpa|grandmother|grandfather|parents?|account|kid|son|daughter|neighbou?r|aunt|uncle))\b[^.!?\n]{0,30}\b(?:up|in|into|onto|to|for|on)\b[^.!?\n]{0,40}\b(?:without|never|didn'?t|did not|plan|subscription|program|membership|agreement|tier|service|protection|add[- ]?on|premium|monthly|shipments?|recurring|weekly|auto[- ]?\w+)\b/
regex  una.added_to_account unauthorized_charges 0.7 need=added,put,tacked,slapped,stuck /\b(?:added|put|tacked|slapped|stuck)\b (?:a |an |another |two |three |\d+ )?(?:\w+ ){0,3}(?:plans?|lines?|services?|fees?|charges?|subscriptions?|packages?|insurance|warrant(?:y|ies)|devices?|box(?:es)?|tiers?|features?|add[- ]?ons?|channels?|protection)\b[^.!?\n]{0,40}\b(?:to|on|onto) (?:my|our|her|his) (?:account|bill|plan|card|statement|invoice|policy)\b/
regex  una.forged unauthorized_charges 1.1 need=signature /\b(?:forged|fake|faked|copied) (?:my |our |a |an )?(?:digital )?signature\b|\bsignature (?:that )?(?:isn'?t|wasn'?t|is not|was not) (?:mine|ours|my own)\b|\bnot my signature\b/
regex  una.unauthorized unauthorized_charges 0.7 /\bunauthori[sz]ed (?:charges?|enrollments?|renewals?|subscriptions?|accounts?|lines?|upgrades?|add[- ]?ons?|products?|services?|plans?|fees?)\b/
regex  una.unauthorized_word unauthorized_charges 0.2 /\bunauthori[sz]ed\b/
regex  una.verbally_agreed unauthorized_charges 0.8 need=agreed,verbally /\b(?:i|we) (?:"?verbally agreed"?|"?agreed"?)\b[^.!?\n]{0,20}\b(?:i|we) (?:did not|didn'?t)\b|\bsaying (?:i|we) "?verbally/
regex  una.no_record_cancel unauthorized_charges 0.7 /\bno record of (?:my |our |the |any |me )?(?:cancel\w*|call|request|letter|email|notice)\b/
regex  una.charges_statement unauthorized_charges 0.5 /\bcharges? from\b[^.!?\n]{0,30}\bon my (?:statement|card|bill)\b/
regex  una.took_money unauthorized_charges 0.6 /\b(?:took|pulled|withdrew|debited|drafted)\b[^.!?\n]{0,30}\b(?:from|out of) (?:my|our) (?:account|card|checking|savings)\b[^.!?\n]{0,40}\b(?:without|never|didn'?t)\b/
regex  una.fraud_account unauthorized_charges 0.5 /\b(?:fraudulent(?:ly)?|fraud) (?:opened|accounts?|cards?|charges?|enrollment)\b/
regex  una.work_declined unauthorized_charges 1.0 need=declined,refused,rejected,turned,crossed /\b(?:work|repairs?|services?|items?|products?|upgrades?|options?|jobs?|parts?)\b[^.!?\n]{0,40}\b(?:i|we) (?:had )?(?:specifically |explicitly |clearly )?(?:declined|refused|said no to|turned down|rejected|crossed (?:out|off))\b/
regex  una.disputing unauthorized_charges 0.4 need=disput,chargeback,charge /\b(?:disputing|disputed|dispute|contesting|contested) (?:it|the charges?|this charge|that charge) with (?:my|our|the) (?:bank|card issuer|credit card(?: company)?|card company)\b|\b(?:chargeback|charge back)\b/
regex  una.claims_i_agreed unauthorized_charges 0.8 need=says,said,claim,insist,apparently,supposedly,according /\b(?:says?|said|claims?|claimed|insists?|insisted|apparently|supposedly|according to (?:them|him|her|the \w+),?)\b (?:that )?(?:i|we|my \w+) (?:must have |had )?["']?(?:opted in|signed up|agreed|enrolled|requested|authori[sz]ed|ordered|asked for|"?verbally agreed"?|requested it)\b/
regex  una.that_was_consent unauthorized_charges 0.8 need=consent,agreement,authori /\b(?:that|this|it) (?:was|counts as|counted as) (?:my )?(?:consent|agreement|authori[sz]ation)\b/
# a charge nobody can place
regex  una.never_heard_of_charge unauthorized_charges 0.9 need=charge,billed,paying,payment,debit,transaction /\b(?:charges?|charged|billed|paying|payments?|debits?|transactions?)\b.{0,80}?\b(?:never (?:even )?heard of|don'?t recognize|didn'?t recognize|do not recognize|no idea what|never used|never bought|never ordered)\b/
# billing restarted by the seller on its own
regex  una.started_again unauthorized_charges 1.0 need=again,anyway,themselves,own /\b(?:started|began|resumed|restarted) (?:charging|billing|debiting|taking)\b[^.!?\n]{0,30}\b(?:again|anyway)\b|\b(?:themselves|on their own|by themselves)\b[^.!?\n]{0,60}\b(?:charg|bill|debit)\w*/
# the seller's claim of consent, in quotes
regex  una.quoted_consent unauthorized_charges 0.8 need=requested,agreed,authori,asked,signed,opted,consented,ordered,enrolled,accepted /(?<!\w)["'](?:requested|agreed|authori[sz]ed|asked for|signed up|opted in|consented|ordered|enrolled|accepted)(?: (?:it|them|this|that|to it))?(?: [^"'\n]{1,20})?["'](?!\w)/
regex  una.no_signature unauthorized_charges 0.7 need=signature,authorization,consent,record /\b(?:no|without (?:a|any)|never (?:got|had) (?:a|any)) (?:signature|signed (?:form|consent|authori[sz]ation|agreement)|written authori[sz]ation|consent form)\b|\bhave no (?:signature|record of (?:me|him|her|us|my \w+) (?:agreeing|signing|asking|requesting))\b/
# charged for damage or use with nothing to show for it
regex  una.charged_no_proof unauthorized_charges 0.6 need=photos,proof,evidence,pictures,explanation,itemi,documentation /\b(?:charg|bill|fin|deduct|kept|took)\w*\b.{0,120}?\bno (?:photos?|proof|evidence|pictures?|explanation|itemi[sz]ation|documentation)\b/
regex  una.nobody_asked unauthorized_charges 0.5 need=nobody,one /\b(?:nobody|no one) (?:ever )?(?:asked|checked with|consulted|called) (?:me|us)\b/
regex  una.no_confirmation unauthorized_charges 0.6 need=password,pin,confirm,authenticat,parental /\b(?:never|didn'?t|did not|without|no) (?:even )?(?:ask(?:ing|ed)? (?:me )?for|requir(?:e|ed|ing)|any|a|my) (?:a |my |any |our )?(?:password|pin|confirmation|authentication|parental (?:approval|consent))\b/
regex  una.new_lines unauthorized_charges 0.5 need=new,extra,additional /\b(?:new|extra|additional) (?:phone )?(?:lines?|devices?|accounts?|cards?|subscriptions?|boxes|receivers?)\b[^.!?\n]{0,15}\b(?:on (?:it|my|his|her|our|the)|added|appeared|showed up)\b/
regex  una.picked_no unauthorized_charges 0.8 need=picked,chose,selected,clicked,ticked,checked,opted,hit /\b(?:i|we) (?:picked|chose|selected|clicked|ticked|checked|opted for|hit)\s+["']?(?:no|none|decline|no thanks|skip|opt out)\b/
regex  una.used_once unauthorized_charges 0.9 need=once,one /\b(?:charges?|charged|billed)\b.{0,80}?\b(?:i|we) (?:only )?(?:went|used it|used|tried it|tried|ordered|bought|visited|stayed|came|ate|parked|opened|downloaded) (?:there |it )?(?:once|one time|one night|one day)\b/
regex  una.signed_up_pet unauthorized_charges 0.9 need=up /\b(?:enrolled|signed|opted|subscribed|re-?enrolled) (?:me|us|my \w+) up\b/

# ---------------------------------------------------------------------------
# forced_addons: an optional add-on said to be required, or slipped in.

regex  fad.preticked forced_addons 1.0 need=pre,default /\bpre[- ]?(?:ticked|checked|selected|enrolled|filled)\b|\b(?:checked|ticked|selected|opted in) by default\b|\bopt[- ]?out by default\b|\bdefault(?:ed|s)? to (?:yes|on|opted in)\b/
regex  fad.said_required forced_addons 1.1 need=said,told,claim,insist,assured,stated,says,presented /\b(?:said|told (?:me|us|my \w+)|claimed|insisted|assured (?:me|us)|stated|says|presented)\b[^.!?\n]{0,50}\b(?:was|is|were|are|it'?s|they'?re|would be|as)? ?"?(?:required|mandatory|necessary|non[- ]?negotiable|compulsory|obligatory|a requirement|a must|part of the (?:package|program|deal|plan|loan|contract)|store policy|company policy|standard|included in (?:the|your) rate|required by (?:code|law|the bank|the lender))\b/
regex  fad.insisted_needed forced_addons 0.8 need=insist,said,told,claim /\b(?:insisted|said|told (?:me|us)|claimed)\b (?:that )?(?:i|we|you) (?:needed|need|had to|have to|must|were required to|was required to)\b[^.!?\n]{0,40}\b(?:buy|get|add|take|purchase|pay for|the|a|an)\b/
regex  fad.required_but_not forced_addons 1.1 need=requir,mandatory,necessary,negotiable,need,have,had,has,must,compatib /\b(?:required|mandatory|necessary|non[- ]?negotiable|requirement|required line item|requires?|need(?:ed|s)? (?:to|the|a|an|their|our)|(?:have|had|has) to|must|(?:not|isn'?t|wasn'?t) compatible)\b.{0,200}?\b(?:(?:you|i|we) (?:do not|don'?t|didn'?t|did not) (?:actually |even |really )?need (?:it|that|them|one|this|to|the|a)|on (?:their|the) (?:own )?(?:compatib\w+|approved) list|it'?s not|it isn'?t|it is not|isn'?t|wasn'?t|it was not|they'?re not|not actually|never was|neither was|(?:is|was|it'?s|it is|they'?re) (?:actually |totally |completely )?optional|optional|isn'?t a thing|is not a thing|not a thing|no one is required|nobody is required|not required|works fine|(?:says|said) no such thing|no such (?:requirement|rule|thing))\b/
regex  fad.required_quoted forced_addons 0.8 need=required,requires,mandatory,standard,part,negotiable /(?:"(?:required|mandatory|requires?|standard|part of the \w+|non[- ]negotiable)[^"\n]{0,30}"|(?<!\w)'(?:required|mandatory|requires?|non[- ]negotiable)')/
regex  fad.packed_into forced_addons 1.0 /\b(?:packed|packing|rolled|snuck|sneaked|slipped|buried|stuffed|tacked|added|put|included|folded|bundled|financed|there'?s|there was|found|noticed|discovered)\b[^.!?\n]{0,60}\b(?:into|in|to|onto) (?:my|the|our) (?:loan|financing|finance|contract|paperwork|purchase|order|payment|car (?:loan|purchase|payment)|lease|deal|mortgage|renewal(?: quote)?|quote|energy bill)\b/
regex  fad.addon_unwanted forced_addons 1.0 need=warrant,insurance,protection,add,package,service,membership,coverage,gap,etch,coating,nitrogen,bundle,plan /\b(?:warranty|warranties|insurance|protection|add[- ]?ons?|package|service contract|service plan|membership|coverage|gap|etch|coating|nitrogen|bundle|plan)\b[^.!?\n]{0,60}\b(?:(?:i )?(?:didn'?t|did not|never) (?:want|need|ask for|asked for|choose|chose|order|request|agree)|said no to|(?:kept )?saying no|told (?:him|her|them) no|(?:i |we )(?:declined|refused|turned down)|without (?:asking|telling|my)|i explicitly)\b/
regex  fad.added_without_asking forced_addons 1.0 need=without /\b(?:added|adding|adds|tacked|put|threw|thrown|included|slipped|snuck|installed|charged|billed|enrolled|signed)\b[^.!?\n]{0,60}\bwithout (?:even )?(?:asking|telling|my|our|any|consent|permission)\b/
regex  fad.tacked_addon forced_addons 0.9 need=tacked,slapped,snuck,added,threw,stuck,piled /\b(?:tacked|slapped|snuck|added|threw|stuck|piled)\b[^.!?\n]{0,40}\b(?:packages?|protection|warrant(?:y|ies)|insurance|add[- ]?ons?|plans?|coatings?|etching|nitrogen|extras)\b/
regex  fad.cant_without forced_addons 1.0 /\b(?:couldn'?t|can'?t|cannot|could not|wouldn'?t|won'?t|would not|refused to|no way to) (?:get|proceed|continue|activate|check ?out|finish|buy|complete|close|fund|approve|hand over|give (?:me|us)|rent|lease|sell (?:it|one|them|the \w+|me)|book|register|open|use|keep|ship|order|install|move in|sign)\b[^.!?\n]{0,50}\b(?:without|unless|until (?:i|we) (?:signed|agreed|bought|took))\b/
regex  fad.must_buy forced_addons 0.7 /\b(?:must|have to|had to|has to|need to|needed to|required to|made (?:me|us)|forced (?:me|us)(?: to)?) (?:buy|take|purchase|get|rent|open|pay for|add|sign up for|accept|carry)\b[^.!?\n]{0,40}\b(?:insurance|warranty|protection|package|plan|membership|card|router|modem|account|add[- ]?on|coverage|assessment|bundle|service|policy)\b/
regex  fad.already_installed forced_addons 0.7 need=installed,remove,every,single /\b(?:already installed|dealer[- ]installed|pre[- ]?installed|can'?t (?:be )?remove(?:d)?|cannot (?:be )?remove(?:d)?|every (?:car|customer|unit|order) gets? (?:it|one|them)|every (?:single )?(?:one|car|truck|unit|vehicle|model|room|apartment) (?:on the lot |in stock |they had )?(?:had|has|came with|comes with|included))\b/
regex  fad.everyone_pays forced_addons 0.7 need=every,all /\b(?:every|all) (?:buyers?|customers?|members?|guests?|clients?|one|body|renters?|tenants?)\b[^.!?\n]{0,10}\b(?:pays?|has to|have to|gets?|must|is required)\b/
regex  fad.forced forced_addons 1.0 /\b(?:forced|pressured|strong[- ]armed|made) (?:me|us|my \w+) (?:to )?(?:buy|take|get|pay for|purchase|add|accept|rent)\b/
regex  fad.addon_products forced_addons 0.35 need=gap,warrant,service,etch,protection,tire,credit,nitrogen,vip,insurance,add /\b(?:gap insurance|extended warrant(?:y|ies)|service contract|theft etch|vin etch|paint protection|fabric protection|tire (?:and|&) wheel|credit (?:life|protection|insurance)|device protection|protection plan|nitrogen|vip (?:service )?package|travel insurance|add[- ]?on)\b/
regex  fad.forced_bundle forced_addons 0.8 /\b(?:forced|mandatory|required|compulsory) (?:an? |the )?(?:"?[\w-]+"? ){0,3}"?(?:bundle|add[- ]?on|package|insurance|warranty|parking|fee|membership|rental)\b/
regex  fad.added_to_every forced_addons 0.8 /\b(?:added|adds|put|puts|installed|installs)\b[^.!?\n]{0,60}\b(?:to|on) every (?:car|vehicle|unit|order|bill|ticket|booking|room|contract|customer)\b/
regex  fad.slipped_in forced_addons 0.9 need=snuck,sneaked,slipped,smuggled /\b(?:snuck|sneaked|slipped|smuggled)\b[^.!?\n]{0,40}\b(?:in|into|onto)\b/
regex  fad.flipped_page forced_addons 0.6 need=page,sign /\b(?:flipped|turned) the page\b|\b(?:just|quickly) (?:had me|told me to) sign\b/
regex  fad.is_mandatory forced_addons 0.5 need=mandatory,required,compulsory,negotiable /\b(?:is|was|are|were|it'?s|they'?re|being) ["']?(?:mandatory|compulsory|non[- ]?negotiable)\b/
regex  fad.has_to_be_ours forced_addons 0.6 need=ours,theirs,through /\b(?:has|had|have|had) to be (?:ours|theirs|through (?:us|them|their \w+|our \w+))\b/
regex  fad.no_option_remove forced_addons 0.9 need=remove,uncheck,untick,decline,opt,off /\bno (?:option|way|button|link) to (?:remove|uncheck|untick|decline|opt out|take (?:it )?off)\b|\b(?:couldn'?t|can'?t|cannot|could not|wouldn'?t let (?:me|us)) (?:remove|uncheck|untick|decline|opt out of|take (?:it )?off)\b/
# unchecked, declined or removed, and there it was again
regex  fad.rechecked forced_addons 1.0 need=uncheck,untick,deselect,declin,removed,opted,said,turned /\b(?:unchecked|unticked|un-checked|un-ticked|deselected|declined|removed|opted out of|said no to|turned off)\b.{0,120}?\b(?:checked again|re-?checked|ticked again|re-?ticked|back on|added back|re-?added|reappeared|came back|was back|still (?:there|charged|on (?:the|my) (?:bill|order|invoice))|charged (?:me|us) (?:for it )?anyway|there anyway)\b/
regex  fad.declined_repeatedly forced_addons 0.8 need=said,declined,refused,turned,crossed,opted /\b(?:said no to|declined|refused|turned down|crossed (?:out|off)|opted out of)\b (?:it|that|this|them|those|the \w+)\b[^.!?\n]{0,15}\b(?:twice|two times|three times|\d+ times|multiple times|several times|repeatedly|explicitly|in writing|at signing|already)\b/
regex  fad.already_on_order forced_addons 0.7 need=already /\balready (?:on|in|added to|included in|built into|baked into|printed on) (?:the|my|our|their) (?:buyer'?s order|contract|paperwork|invoice|bill|cart|order|quote|worksheet|deal|loan|lease|price|booking|reservation|room rate|rate)\b/
regex  fad.decline_hidden forced_addons 0.8 need=no,decline,opt,skip /["']?\b(?:no thanks|decline|no,? thanks|opt out|skip)["']?[^.!?\n]{0,30}\b(?:hidden|buried|tiny|greyed|grayed|in a dropdown)\b/
regex  fad.mandatory_all forced_addons 0.7 need=mandatory,required,compulsory,even /\b(?:mandatory|required|compulsory)\b (?:for|on) (?:every|all|each)\b|\beven if (?:you|i|we) (?:don'?t|never|already|have (?:your|my|our) own|bring (?:your|my|our) own|walk|do it yourself|opt out)\b/

# ---------------------------------------------------------------------------
# cancellation_trap: obstructed cancelling, or refused a refund or return
# promised at the sale.

regex  can.wont_let_cancel cancellation_trap 1.2 /\b(?:won'?t|wouldn'?t|will not|would not|refused to|refuse to|refuses to|did not|didn'?t) let (?:me|us|you|my \w+) (?:\w+ )?(?:cancel|leave|out|close|return|unsubscribe|stop)\b/
regex  can.cant_cancel cancellation_trap 1.0 need=cancel,unsubscribe,get /\b(?:can'?t|cannot|couldn'?t|could not|unable to|impossible to|no way to|not able to)\b[^.!?\n]{0,15}\b(?:cancel (?:my|the|our|this|a|it|membership|subscription|service|plan|contract|online|anything)(?! (?:\w+ )?(?:payments?|transfers?|transactions?|wires?|checks?|deposits?|zelle))|unsubscribe|get out of (?:the|my|this|our) (?:contract|membership|subscription|plan|agreement))\b/
regex  can.refused_refund cancellation_trap 1.2 /\b(?:refused|refuse|refuses|refusing|won'?t|wouldn'?t|will not|would not|declined|denied|denying|rejected|rejecting) (?:to )?(?:give (?:me |us )?(?:a |my |the |our )?|issue (?:a |the |my )?|process (?:a |the |my )?|honou?r (?:a |the |my |their )?|pay (?:back )?)?(?:refunds?|my refund|a refund|the refund|the cancellation|my cancellation|cancellation|to cancel)\b/
regex  can.refund_denied cancellation_trap 1.0 need=refund /\brefund\b[^.!?\n]{0,30}\b(?:denied|refused|rejected|declined|said no|no luck|ignored)\b|\b(?:asked for|requested|demanded|wanted) (?:a |my |the )?(?:partial |full )?refund\b.{0,40}?\b(?:said no|denied|refused|declined|no luck|won'?t|wouldn'?t|rejected|ignored)\b/
regex  can.hasnt_refunded cancellation_trap 0.7 need=refund /\b(?:still )?(?:hasn'?t|haven'?t|has not|have not|never|didn'?t|did not) (?:been )?refund(?:ed)?\b/
regex  can.only_cancel_on cancellation_trap 0.8 need=only /\b(?:can|could) only (?:cancel|quit|leave|terminate|end)\b[^.!?\n]{0,20}\b(?:on|by|in|during|at|with|after|via|through|if)\b/
regex  can.kept_money cancellation_trap 0.6 need=kept,keeping /\b(?:kept|keeping|still have|still has) (?:my|our|the) (?:[$£€]\d[\d,.]*|money|payment|cash)\b/
regex  can.wont_reverse cancellation_trap 0.5 need=reverse,remove,refund,credit /\b(?:won'?t|wouldn'?t|refuse\w* to|will not|would not) (?:reverse|remove|refund|credit back|take off) (?:it|the charges?|them|that|this|the fee)\b/
regex  can.refused_to_cancel cancellation_trap 1.1 /\b(?:refused|refuse|refuses|won'?t|wouldn'?t|will not|would not) (?:to )?(?:cancel|process (?:my|the|our) (?:cancel\w*|request))\b/
regex  can.promised_refund cancellation_trap 1.1 need=refund,money,reimburse /\b(?:promised|guaranteed|told (?:me|us))\b[^.!?\n]{0,20}\b(?:a |my |the |full |100% )?(?:full )?(?:refund|money[- ]back|reimbursement)\b|\brefund (?:was |were )?"?(?:promised|guaranteed)\b/
regex  can.money_back_not cancellation_trap 1.0 /\b(?:money[- ]back|refund|return) (?:guarantee|policy|window)\b.{0,120}?\b(?:discretion|denied|refused|doesn'?t apply|does not apply|didn'?t apply|won'?t|wouldn'?t|not eligible|restocking|excluded|only|except|but|(?:they |now )?(?:want|wants|require|requires|demand|demanded|asked for|asking for) (?:a |an |my |the )?["']?(?:proof|receipt|photos?|original packaging|return authori[sz]ation|reason|survey|explanation))\b/
regex  can.no_refund_yet cancellation_trap 0.8 need=refund,money /\b(?:refund|money)\b[^.!?\n]{0,60}\b(?:(?:\d+|several|three|four|five|six|eight|eleven) (?:weeks|months)|still (?:processing|pending|waiting|nothing|not)|never (?:came|arrived|showed|received))\b/
regex  can.refund_delay cancellation_trap 0.6 /\brefund\b.{0,100}?\b(?:it'?s been|been|now|after|over|still waiting after) (?:\d+|several|three|four|five|six|eight|eleven|twelve) (?:weeks|months)\b/
regex  can.still_on_plan cancellation_trap 0.9 /\bcancel\w*\b.{0,80}?\bstill (?:on (?:their|the|my) (?:plan|contract|service|account)|a customer|active|open|enrolled|being (?:billed|charged))\b/
regex  can.kept_active cancellation_trap 0.8 need=kept,keep,left /\b(?:kept|keeps|keep|left) (?:my|the|our) (?:line|account|service|membership|subscription|plan|contract) (?:active|open|going|running|on)\b/
regex  can.bills_keep_coming cancellation_trap 0.9 /\b(?:bills?|charges?|invoices?|payments?|debits?) (?:keep|kept|still) (?:coming|arriving|showing up|going out|coming out)\b/
regex  can.credit_only cancellation_trap 0.7 need=credit,voucher,gift /\b(?:travel |store |account )?(?:credit|voucher|vouchers|store credit|gift card)s? only\b|\bonly (?:a |offered (?:a )?|give )?(?:travel |store )?(?:credit|voucher)\b/
phrase can.kept_transferring cancellation_trap 0.9 kept transferring
regex  can.transferred_around cancellation_trap 0.8 /\b(?:transferred|bounced|passed) (?:me |us )?(?:around|between|back and forth|from (?:one|department)|\d+ times|(?:three|four|five|six|seven|eight) times)\b/
regex  can.runaround cancellation_trap 0.6 need=run,round,tree,circles /\b(?:run[- ]?around|round and round|phone tree|merry[- ]go[- ]round|circles)\b/
regex  can.retention cancellation_trap 0.6 /\bretention (?:guy|dept|department|specialist|agent|team|rep|line|offer|call|people|lady)\b/
phrase can.retention_word cancellation_trap 0.3 retention
regex  can.cancel_by_mail cancellation_trap 1.0 need=cancel /\bcancel\w*\b[^.!?\n]{0,50}\b(?:by|via|through|with) (?:certified |registered )?(?:mail|fax|letter|post|phone only|calling|phone call|in[- ]person visit)\b|\bcancel\w*\b[^.!?\n]{0,40}\b(?:in person|mail a letter|send a letter|certified mail|only by phone|only over the phone|have to call|must call|need to call)\b|\b(?:have to|must|need to|make you|makes you|forced to|only way is to|only way to) (?:call|phone|mail|fax|visit|go in|write)\b[^.!?\n]{0,20}\bto cancel\b/
regex  can.cancel_requires cancellation_trap 0.9 need=cancel /\bcancel\w*\b[^.!?\n]{0,10}\b(?:requires|needs|means|involves|takes) (?:a |an )?(?:\w+ ){0,2}(?:phone call|call|letter|visit|fax|appointment|interview|in[- ]person)\b/
regex  can.call_drops cancellation_trap 0.8 need=drop,disconnect,hung,hang /\b(?:call|line|chat)s? (?:drops?|dropped|disconnect\w*|cuts? out|went dead)\b|\bhung up on (?:me|us)\b[^.!?\n]{0,40}\bcancel|\bcancel\w*.{0,120}?\bhung up\b/
regex  can.by_fax cancellation_trap 0.6 need=fax,certified /\bby fax\b|\bcertified mail\b/
regex  can.tried_to_cancel cancellation_trap 0.7 /\b(?:tried|trying|try|attempted|attempting|been trying|asked|asking|begged|told them) (?:\w+ )?(?:to )?cancel\w*\b[^.!?\n]{0,60}\b(?:\d+|two|three|four|five|six|seven|multiple|several|many) (?:times|hours|weeks|months|calls|emails)\b/
regex  can.asked_to_cancel_n cancellation_trap 0.5 /\b(?:tried|trying|attempted|been trying) to (?:cancel|leave|quit|unsubscribe|close (?:my|the|our|her|his) account)\b/
regex  can.etf cancellation_trap 0.5 need=fee,penalty,charge,etf /\b(?:early termination|termination|cancell?ation|exit|closing|cancel) (?:fee|fees|penalty|charge)\b|\betf\b/
regex  can.etf_said_none cancellation_trap 1.0 /\b(?:said|told (?:me|us)|(?:was|were) told|promised|assured (?:me|us)|claimed)\b[^.!?\n]{0,40}\b(?:there (?:was|is|would be) )?(?:no|zero|not an?y?|wasn'?t an?y?) (?:etf|early termination|termination fee|cancell?ation fee|contract|commitment|annual commitment)\b/
regex  can.cancel_anytime_except cancellation_trap 0.9 /\bcancel (?:any ?time|at any time|whenever)\b.{0,100}?\b(?:except|but|only|doesn'?t|isn'?t|no cancel|not|unless|requires?|have to|must)\b/
regex  can.cancel_hidden cancellation_trap 1.0 need=cancel /\bcancel\w*\b[^.!?\n]{0,20}\b(?:button|link|option|page|process|form|portal|flow|screens?|journey|funnel|menu)\b[^.!?\n]{0,60}\b(?:leads|hidden|grey|gray|buried|tiny|survey|screens? of|steps|pages? of|are you sure|went wrong|loop|doesn'?t exist|does not exist|broken|behind|disappear\w*|missing|offer|error\w*|crash\w*|(?:doesn'?t|didn'?t|won'?t|wouldn'?t) (?:work|load|go through)|times? out|timed out)\b/
regex  can.no_way_to_cancel cancellation_trap 1.0 need=cancel /\b(?:no|there'?s no|there is no|isn'?t (?:a|an|any)) (?:way|option|button|link|place) to cancel\b(?! (?:a |the |my |this |that |any )?(?:payments?|transfers?|transactions?|wires?|checks?|deposits?|zelle))|\bno cancel(?:lation)? (?:option|button|link)\b/
phrase can.dark_pattern cancellation_trap 0.7 dark pattern*
# one tap to join, a letter or a call to leave
regex  can.easy_in_hard_out cancellation_trap 0.8 need=cancel /\b(?:sign(?:ed)? up|subscribe\w*|buy|bought|join\w*|purchas\w*|upgrade\w*)\b.{0,50}?\b(?:one (?:tap|click)|\d+ seconds|online|in the app|instantly)\b.{0,80}?\b(?:to|you can'?t|can'?t|cannot) (?:cancel|downgrade)\b/
# removing the app or the account does not stop the billing
regex  can.delete_doesnt_cancel cancellation_trap 0.9 need=delet,uninstall,remov,clos /\b(?:delet|uninstall|remov|clos)\w* (?:the |my |our |your )?(?:app|account|profile)\b[^.!?\n]{0,20}\b(?:does ?n[o']?t|doesn'?t|did ?n'?t|didn'?t|won'?t|will not|does not|did not) (?:\w+ )?(?:cancel|stop|end)\b/
# obstructed until the customer gave up
regex  can.until_gave_up cancellation_trap 0.5 need=gave /\b(?:until|till|til) (?:i|we|she|he|they|my \w+) (?:finally |just )?gave up\b/
regex  can.free_cancel_charged cancellation_trap 1.0 need=free /\bfree cancell?ation\b.{0,140}?\b(?:charged|billed|fee|anyway|non[- ]?refundable|kept|policy differs|no refund)\b/
regex  can.cancel_email_wait cancellation_trap 0.8 need=cancel /\bto cancel\b[^.!?\n]{0,20}\b(?:you|i|we) (?:have|had|need|needed) to (?:email|write|chat|talk|speak|message|contact)\b/
regex  can.cancellation_lost cancellation_trap 1.0 need=cancel /\bcancel\w*\b[^.!?\n]{0,40}\b(?:expired|never received|didn'?t go through|did not go through|was lost|no record|wasn'?t processed|was not processed|never processed|not valid|(?:isn'?t|wasn'?t|is not|was not) valid|doesn'?t count|didn'?t count)\b|\b(?:never received|no record of|lost) "? ?(?:my cancel\w*|the cancel\w*|our cancel\w*)\b/
regex  can.restocking_fee cancellation_trap 0.7 /\brestocking fee\b/
regex  can.nonrefundable_said cancellation_trap 1.0 need=refundable /\bnon[- ]?refundable\b.{0,80}?\b(?:said|told|promised|claimed|assured|advertised)\b[^.!?\n]{0,30}\b(?:fully )?refundable\b|\b(?:said|told (?:me|us)|promised|assured (?:me|us)) (?:it|the \w+) (?:was|is|would be) (?:fully )?refundable\b/
regex  can.final_sale cancellation_trap 0.8 need=final,return /"?final sale"?\b.{0,60}?\b(?:even though|but|although|returnable|return policy|receipt)\b|\b(?:wouldn'?t|won'?t|refused to|would not|will not) (?:let (?:me|us) )?(?:return|take (?:it|them) back|accept (?:the |my )?return)\b/
regex  can.keeps_billing_leaving cancellation_trap 0.8 /\b(?:told|informed|notified) (?:them|\w+) (?:\d+|two|three|four|five|multiple|several) times\b/
regex  can.wont_process cancellation_trap 0.9 /\b(?:won'?t|wouldn'?t|didn'?t|never) (?:process|honou?r|accept|confirm) (?:the |my |our )?(?:cancel\w*|refund|return|request|notice)\b/
regex  can.notice_clause cancellation_trap 0.6 /\b(?:\d+|thirty|sixty|ninety) days?'? (?:written )?notice\b/
regex  can.still_charging_after_notice cancellation_trap 0.7 /\b(?:charged|billed) (?:me |us )?(?:\w+ )?(?:two|three|\d+) more months\b/
regex  can.kept_deposit cancellation_trap 0.8 /\b(?:kept|keeping|withheld|won'?t return|refus\w+ to return) (?:my|our|the) (?:deposit|money|down payment|payment)\b/
regex  can.only_pause cancellation_trap 0.6 /\bonly (?:"?pause"?|freeze|a pause|offers?|discounts?)\b[^.!?\n]{0,20}\b(?:not|no|never)? ?cancel/
# cancelled, and the bills or boxes kept coming
regex  can.cancel_then_still cancellation_trap 1.0 need=cancel,unsubscrib,closed /\b(?:cancel\w*|unsubscrib\w*|closed (?:my|the|our) account)\b.{0,200}?\b(?:still (?:subscribed|paying|being (?:charged|billed)|getting (?:charged|billed|boxes|shipments|the bill|emails)|a member|enrolled|active|showing up|on (?:my|the|our) (?:statement|bill|card)|subscribed|there)|(?:charg|bill)(?:ed|ing) (?:me |us )?(?:\d+|two|three|four|five|six|several|multiple) (?:more )?times|(?:stop|stopped) (?:billing|charging) (?:me|us)|kept (?:shipping|sending|charging|billing|delivering|renewing)|keeps? (?:shipping|sending|hitting|coming|charging|billing)|(?:next|another|the) (?:bill|charge|invoice|payment|box|renewal)\b[^.!?\n]{0,20}\b(?:came|went through|hit|arrived|showed up)\b[^.!?\n]{0,10}\banyway)\b/
# the refund or return promised does not cover this case
regex  can.refund_excluded cancellation_trap 0.9 need=refund,return,money,prorat /\b(?:refunds?|returns?|money back|prorated|pro-rated)\b[^.!?\n]{0,60}?(?:\b(?:not available|don'?t (?:include|apply|cover)|doesn'?t (?:include|apply|cover)|(?:apply|applies) (?:to|only)|only (?:apply|applies|for|on|to)|excluded?|excludes|not eligible|ineligible)\b|:\s*[$£€]0\b)/
regex  can.cant_return cancellation_trap 0.6 need=return,send,money,refund /\b(?:can'?t|cannot|couldn'?t|can not|unable to|not allowed to) (?:return|send back|get (?:my|a|the|our) (?:money|refund)|process (?:a |the |my |any )?(?:returns?|refunds?|cancell?ations?)|accept (?:a |the |my |any )?returns?)\b(?! to\b)/
# leaving needs a call, a visit or a letter that joining did not
regex  can.stop_requires cancellation_trap 1.0 need=cancel,downgrade,stop,unsubscribe,close,end,quit /\b(?:to|can only|could only) (?:cancel|downgrade|stop it|stop (?:the|my) \w+|unsubscribe|close (?:the|my|our) account|end (?:it|the \w+|my \w+)|quit)\b[^.!?\n]{0,40}\b(?:(?:you|i|we) (?:must|have to|had to|need to|needed to|gotta|got to)|please|you'?ll need to|just) (?:call|phone|visit|come in|go in|mail|fax|write|send|show up|appear|book)\b/
regex  can.channel_runaround cancellation_trap 1.0 need=need,have,says,said,told,manage,cancel /\b(?:need to|have to|says? to|said to|told (?:me|us) to|manage (?:it|the \w+)|cancel (?:it|the \w+)) (?:visit|call|go to|come (?:in|to)|email|mail|write|in|at|through|via)\b.{0,80}?\b(?:need to|have to|says? to|said to|told (?:me|us) to|manage (?:it|the \w+)|cancel (?:it|the \w+)) (?:visit|call|go to|come (?:in|to)|email|mail|write|in|at|through|via)\b/
regex  can.pushing_vouchers cancellation_trap 0.8 need=voucher,credit,gift,coupon /\b(?:kept|keep|keeps|only) (?:pushing|offering|insisting on|giving|sending|offered|gave) (?:us |me )?(?:a |travel |store )?(?:vouchers?|credits?|gift cards?|coupons?)\b/
regex  can.tried_to_leave cancellation_trap 0.7 need=tried,trying,try,attempted,wanted,went /\b(?:tried|trying|try|attempted|wanted|went) to (?:cancel|leave|quit|close|end|get out of|unsubscribe|terminate)\b.{0,120}?\b(?:they (?:want|wanted|need|needed|require|required|said|told|insist\w*|charge\w*|kept|refused)|you (?:have|need|must)|have to|had to|need to|must)\b/
regex  can.takes_effect_later cancellation_trap 0.8 need=effect /\btakes? effect (?:at|after|in) (?:\d+|two|three|the next|next) (?:billing )?(?:cycles?|months?)\b/
regex  can.no_refund_received cancellation_trap 0.9 need=gotten,got,received,seen,given /\b(?:still )?(?:haven'?t|hasn'?t|have not|has not|never|didn'?t|did not) (?:gotten|got|received|seen|been given) (?:my|our|the|a|any) (?:refund|money back|deposit|money)\b/
regex  can.on_hold_to_cancel cancellation_trap 0.7 need=hold /\bcancel\w*\b.{0,100}?\b(?:\d+|an?|two|three|forty|ninety) (?:minutes?|mins?|hours?|hrs?) on hold\b|\bon hold for (?:\d+|an?|two|three) (?:minutes?|mins?|hours?|hrs?)\b.{0,80}?\bcancel/

# ---------------------------------------------------------------------------
# Cues.

# experience: the author's own case. The generic first person (also "you
# have to ..." and diary style without a subject: "bought a ...") keeps the
# multiplier at 1; the strong ones raise it a little; being wronged raises it
# more; a credit-report or collections dispute (other complaints, not sales)
# lowers it.
cue exp.charged_me experience 1.15 /\b(?:charged|charging|billed|billing|debited|overcharged|scammed|ripped off|sold|told|promised|assured|signed|enrolled|quoted|hit) (?:me|us|my (?:mom|dad|mother|father|parents?|wife|husband|grandma|grandpa|grandmother|grandfather|kid|son|daughter|neighbou?r|card|account))\b/
cue exp.i_did experience 1.15 /\b(?:i|we) (?:was|were|got|have been|had been|'ve been|'m being)? ?(?:signed|paid|bought|purchased|called|booked|ordered|cancell?ed|returned|leased|financed|rented|joined|switched|subscribed|asked|tried|told them|was told|were told|was promised|were promised|was quoted|were quoted|charged|billed|scammed|ripped off|borrowed|took out|applied|opened|enrolled|contacted)\b/
cue exp.my_bill experience 1.15 /\bmy (?:bill|statement|invoice|account|card|credit card|bank|loan|contract|lease|membership|subscription|plan|order|booking|reservation|refund|deposit|car|policy|receipt|quote)\b/
cue exp.they_said experience 1.15 /\b(?:they|he|she|the rep|the agent|the salesman|the dealer) (?:told|said|promised|assured|swore|claimed|insisted)\b/
cue exp.wronged experience 1.3 need=nobody,one,mentioned,rip,scam,screw,confirmation,receipt,email,screenshot,recording,quote,never,lesson,beware,stay,avoid,not,don,shady,sketchy,racket,furious,livid,robbery,fraud,crooks,thieves /\b(?:ripped off|rip[- ]?off|scammed|scamed|got screwed|screwed (?:me|us|over)|i have (?:the|a|their) (?:confirmation|receipt|email|screenshot|recording|quote|texts?|chat)|(?:have|got|kept) (?:a |the )?screenshots?|never again|lesson learned|buyer beware|beware|stay away|avoid (?:them|at all costs|this|like the plague)|do not (?:use|buy|trust|sign)|don'?t (?:use|buy from|trust|sign|fall for)|shady|sketchy|racket|furious|livid|highway robbery|daylight robbery|crooks|thieves|fraudsters|(?:nobody|no one) (?:ever )?(?:mentioned|told (?:me|us)|said a word)|never (?:mentioned|disclosed|told (?:me|us))|(?:wasn'?t|not|never) disclosed)\b/
cue exp.tricked experience 1.3 need=fell,dumb,stupid,idiot,predatory,fuming /\b(?:(?:i|we) fell for (?:it|that|this|the)|fell for it|feel (?:so |really )?(?:dumb|stupid)|like an idiot|predatory|fuming)\b/
# affect and after-the-fact discovery: the voice of someone who was had
# (x1.2, below the wronged boosters)
cue exp.affect experience 1.2 need=🙄,🤡,🤬,😡,😤,😠,smh,wtf,ffs,ugh,unreal,unbelievable,kidding,break,funny,coincidence,surprise,cool,buddy,ridiculous,infuriating,scummy,slimy,sleazy,!!,?!,!? /🙄|🤡|🤬|😡|😤|😠|!!|\?!|!\?|\b(?:smh|wtf|ffs|ugh|unreal|unbelievable|are you kidding|give me a break|funny how (?:that|this|it) works|what a coincidence|imagine my surprise|cool cool|ok buddy|ridiculous|infuriating|scummy|slimy|sleazy)\b/
cue exp.discovery experience 1.2 need=turn,find,found,apparently,later,fact,learned,discovered /\b(?:turns out|turned out|come to find out|found out|apparently|only later|after the fact|learned (?:that|later|from)|later learned|discovered)\b/
# a story told from the scene: "at the lot:", "showed up", "two days later"
cue exp.story experience 1.0 need=later,next,lot,store,counter,desk,branch,showing,register,checkout,person,signup,showed,shows,got /\b(?:(?:two|three|a few|\d+) (?:days|weeks|months) later|the next (?:day|week|month|morning)|at the (?:lot|store|counter|desk|branch|showing|register|checkout)|in person|at signup|at checkout|showed up|shows up|got there)\b/
cue exp.your_staff experience 1.0 need=your /\byour (?:rep|reps|agent|agents|salesman|salesperson|sales guy|finance (?:guy|manager|office)|store|site|website|app|team|support|staff|manager|installer|technician|tech)\b/
cue exp.first_person experience 1.0 /\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|us|our)\b/
cue exp.generic_you experience 1.0 need=you /\b(?:you have to|you must|you need to|you can only|you can'?t|you get|they make you|makes you|lets you|you'?re told|you'?re charged)\b/
cue exp.dropped_subject experience 1.0 /(?:^|(?<=[.!?:\n] )|(?<=\n))(?:was (?:promised|told|quoted|assured|sold)|were (?:promised|told|quoted|assured|sold)|been|still (?:getting|being|paying|waiting|charged|billed)|added|applied|drove|clicked|walked|bought|paid|ordered|booked|signed|got|went|called|tried|picked|drove|returned|cancell?ed|switched|joined|rented|leased|financed|took|didn'?t notice|only noticed|noticed|found out|asked|told|spent|waited|sat|saw|found|realized|learned|discovered|checked|looked|read|showed up)\b/
cue exp.not_a_sale experience 0.3 need=credit,consumer,bureau,inquir,pull,fcra,1681,equifax,experian,transunion,tradeline,identity,debt,collect,1692 /\b(?:credit (?:report|reports|file|files|bureaus?|reporting)|consumer reporting agenc\w*|bureaus|inquir(?:y|ies)|hard (?:pull|inquiry)|fcra|1681\w*|equifax|experian|transunion|tradelines?|identity theft|debt collect\w*|collection (?:agency|agencies|account)|in collections|debt validation|validat\w+ (?:of )?(?:the |this )?debt|1692\w*)\b(?s:.*?)\b(?:credit (?:report|reports|file|files|bureaus?|reporting)|consumer reporting agenc\w*|bureaus|inquir(?:y|ies)|hard (?:pull|inquiry)|fcra|1681\w*|equifax|experian|transunion|tradelines?|identity theft|debt collect\w*|collection (?:agency|agencies|account)|in collections|debt validation|validat\w+ (?:of )?(?:the |this )?debt|1692\w*)\b/
cue exp.not_a_sale_once experience 0.65 need=credit,consumer,bureau,inquir,pull,fcra,1681,equifax,experian,transunion,tradeline,identity,debt,collect,1692 /\b(?:credit (?:report|reports|file|files|bureaus?|reporting)|consumer reporting agenc\w*|bureaus|inquir(?:y|ies)|hard (?:pull|inquiry)|fcra|1681\w*|equifax|experian|transunion|tradelines?|identity theft|debt collect\w*|collection (?:agency|agencies|account)|in collections|debt validation|1692\w*)\b/

# ad: seller voice and calls to action.
cue ad.cta ad 0.2 need=today,now,online,here,link,below /\b(?:sign up|join|switch|subscribe|order|book|shop|call|apply|register|enroll|buy|start|try (?:it|us)?)\b[^.!?\n]{0,25}\b(?:today|now|online|here|at the link|below)\b[^.!?\n]{0,5}(?:!|\.|$|→|👉)/
cue ad.promo_code ad 0.2 need=code /\b(?:use|with|enter|apply) (?:promo |discount |coupon )?code\b|\bpromo code\b|\bcoupon code\b/
cue ad.link_in_bio ad 0.2 need=link,dm,click,tap /\blink in (?:bio|profile)\b|\bdm (?:us|me) (?:for|to)\b|\b(?:click|tap) (?:the link|here|below)\b|\b(?:sign up|join|book|order|shop|apply|learn more|details) (?:at|via) the link\b/
cue ad.limited_time ad 0.5 need=limited,supplies,miss,terms,offer,participating /(?<!["'])\blimited time (?:only|offer)\b|\bwhile supplies last\b|\bdon'?t miss (?:out|it)\b|\bterms (?:and conditions )?apply\b|(?<!["'])\boffer (?:ends|valid|expires)\b|\bvalid at participating\b/
cue ad.seller_voice ad 0.25 need=our,we,join,promise /\b(?:our (?:customers|members|guests|clients|promise|plans?|prices?|pricing|cancellation process|team|rates?)|we (?:believe|promise|guarantee|offer|are hiring|'re hiring|beat|'ll beat|will beat)|we (?:never|will never|'ll never|don'?t|do not) (?:ever )?(?:charge|sell|add|auto[- ]?renew|hide|share|pressure|upsell|lock you)|join (?:us|free|today)|that'?s (?:the|our) \w+ promise)\b/
cue ad.hiring ad 0.3 need=hiring,apply /\b(?:we'?re hiring|now hiring|apply now)\b/
cue ad.free_month ad 0.4 need=first,% /\b(?:first (?:month|year|\d+ months?) (?:free|for \$?\d)|get (?:up to )?\d+% off|save (?:up to )?\d+%|up to \d+% off|\d+% off (?:all|everything|your|select))\b/
cue ad.percent_off ad 0.85 /\d+ ?% off\b/
cue ad.phone_number ad 0.4 /\b(?:call|text) (?:us )?(?:at )?1?-?8\d\d-\d{3}-\d{4}\b/
cue ad.exclaim_offer ad 0.5 need=strings,risk,questions,direct,act,hurry,wait,come /\b(?:no strings attached|risk[- ]free|no questions asked|book direct|act now|hurry(?:!| up and| in)|don'?t wait|what are you waiting for|come see (?:us|for yourself))\b/

# news: regulators, lawsuits, studies, reports about others, and commentary
# on practices in general.
cue news.regulator news 0.2 need=ftc,cfpb,cma,fcc,regulator,attorney,ag,ombudsman,watchdog,consumer /\b(?:ftc|cfpb|cma|fcc|regulators?|attorney general|state ag|the ag|ombudsman|watchdog|consumer protection agency)\b[^.!?\n]{0,40}\b(?:sues?|sued|fines?|fined|says?|said|rules?|ruled|finds?|found|orders?|ordered|announces?|announced|opens?|opened|warns?|proposes?|proposed|settles?|settled|would require|guidance|investigat\w+|rule)\b/
cue news.lawsuit news 0.2 need=class,lawsuit,according,court,filing,suit,sued,pay,settle,jury,guilty,indicted,accused,alleg /\b(?:class action (?:filed|lawsuit|suit|against)|lawsuit(?: filed| alleges| claims| says|:)|according to (?:the|a|court|its|their)|court (?:filings|rules|ruled|documents)|per (?:court )?filings?|files? (?:a )?(?:lawsuit|suit)|sued by|agrees? to pay|to settle|settlement with|a jury found|jury awards?|pleads? guilty|indicted|(?:is |was |are |were )?accused of|alleg(?:es|ed|edly|ations?))\b/
cue news.report news 0.25 need=report,study,survey,researchers,economists,analysts,earnings,recall,show,blog,podcast,thread,op-ed,press,announces,expands,raise /\b(?:report finds|study (?:finds|found|shows)|new study|survey (?:finds|found|shows|says|of)|survey:|researchers (?:say|found)|economists|analysts say|(?:q[1-4]|quarterly) (?:results|earnings)|earnings call|reports? (?:q[1-4]|quarterly|annual)|recalls? \d|show hn|blog post|podcast|thread on|good thread|interesting thread|op-ed|press release|announces|expands to|to raise rates)\b/
cue news.fined news 0.25 need=fine,investigation,bill /\b(?:fined|was fined|been fined|faces? (?:a )?(?:fine|lawsuit|probe|investigation)|under investigation|bill (?:passes|clears|would ban))\b/
cue news.commentary news 0.35 need=illegal,banned,everywhere,control,classic,steps,common,reminder,thumb,tip,normalized,industry /\b(?:should be (?:illegal|banned|outlawed)|(?:are|is) (?:everywhere|out of control)|the (?:classic|oldest|usual) (?:\w+ )?(?:bait|trick|scam|move|playbook)|with extra steps|(?:is|are) the most common|friendly reminder|rule of thumb|pro ?tip|got normalized|the whole industry|industry[- ]wide)\b/
cue news.generic_sellers news 0.7 need=that,who,are,love,always,never,will,trained /\b(?:companies|dealers|dealerships|gyms|airlines|hotels|banks|retailers|stores|sites|websites|landlords|carriers|apps|salespeople|salesmen|lenders|subscriptions|isps|cable companies|timeshares?|car lots) (?:that|who|are|love to|always|never|will|are trained to)\b/

# figurative: pets, toddlers, weather, days of the week, jokes.
cue fig.pets figurative 0.2 need=cat,dog,pupp,kitten,parrot,bird,hamster,goldfish,pet,toddler,plant,sourdough,starter,brain,wallet,quick,weather,forecast,sunset,sky,mirror /(?<!picked up )(?<!dropped off )(?<!took )(?<!brought )\b(?:my (?:cat|cats|dog|dogs|puppy|kitten|parrot|bird|hamster|goldfish|pet|toddler|houseplant|plant|sourdough|starter|brain|wallet|husband'?s "?quick trip)|the (?:cat|dog|toddler|weather|forecast|sunset|sky|mirror|mirrors))\b(?![^.!?\n]{0,60}\b(?:vet|vets|clinic|groom\w*|insurance|boarding|surgery|dental|teeth|meds|medication|prescription|sitter|walker|daycare|kennel)\b)/
cue fig.weather figurative 0.25 need=weather,forecast,monday,autumn,winter,tooth,d&d,npc,recipe,insomnia,hot /\b(?:weather|forecast|monday|mondays|autumn|winter|my kid'?s tooth fairy|tooth fairy|d&d|npc|this recipe|the recipe|insomnia|hot take)\b/
cue fig.joke figurative 0.5 need=toddler,energy,vibes,lawyer /\b(?:toddler edition|energy and i can'?t explain|for vibes|future lawyer)\b/

# praise: the seller did right.
cue praise.love praise 0.35 need=love,recommend,great,stars,10/10,5/5,shout,credit,kudos,good,done,again,happy,refreshing,underrated,alright,respect,honest,props /\b(?:love it|love them|love my|loved it|highly recommend|would recommend|great experience|great service|5 stars|five stars|10\/10|5\/5|shout ?out|credit where (?:it'?s|credit is) due|kudos|good job|well done|would buy again|happy customer|refreshing|underrated|you'?re alright|respect|honest people|props to)\b/
cue praise.smooth praise 0.5 need=smooth,hassle,painless,exactly,quote,penny /\b(?:super smooth|so smooth|zero hassle|no hassle|hassle[- ]free|painless|exactly as (?:advertised|described|quoted)|as quoted|matched the quote|to the penny)\b/
cue praise.retraction praise 0.3 need=mistake,bad,fault,wrong,correction,alarm,mind,nvm,retract,sorry,update /\b(?:my mistake|my bad|my fault|i was wrong|correction:|correction to my|false alarm|never ?mind|nvm|retract|sorry \w+!|update: (?:they|it) (?:fixed|refunded|resolved))\b/
cue praise.was_fine praise 0.4 need=fine,great,cool,smooth,perfect,helpful,good,new /\b(?:mine|it|everything|all|that|he|she|they|the (?:\w+ ){1,2}(?:guy|lady|rep|agent)) (?:was|went|turned out|were) (?:totally |actually |really |pretty |super )?(?:fine|great|cool|smooth|perfect|helpful|good)\b|\barrived (?:looking )?(?:like )?new\b/
cue praise.same_amount praise 0.3 need=charged,billed,paid,total,came /([$£€]\d+(?:[,.]\d+)*)\b(?:[^.!?\n]|\.(?=\d)){0,40}?\b(?:charged|billed|paid|total|came to)\b[^.!?\n]{0,10}\1(?!\d|[,.]\d)/
cue fig.tech figurative 0.3 need=git,rebase,compiler,linter,npm,merge,css,mirror,gains /\b(?:git|rebase|compiler|the linter|npm|merge conflicts?|css|the (?:\w+ )?mirror|my gains)\b/
cue fig.media figurative 0.3 need=playlist,trailer,plot,finale,sequel,song,album,chorus,episode /\b(?:playlist|the trailer|this trailer|the plot|season finale|the sequel|this song|the song|the album|the chorus|plot twist|this episode|the episode)\b/
cue fig.ultimate figurative 0.3 need=ultimate,original,biggest,greatest,hidden /\b(?:is|are) the (?:ultimate|original|biggest|greatest) (?:bait and switch|scam|hidden fee|upsell|subscription|cancellation trap|pressure tactic|rip[- ]?off|fake discount)\b|\bhidden fees?\b[^.!?\n]{0,25}\b(?:hours?|minutes?|sleep|sanity|patience|my soul)\b/
cue praise.genuine_sale praise 0.35 need=genuine,legit,real,actual /\b(?:genuine|legit|real|actual) (?:sale|discount|deal|savings)\b/

# question: the sentence asks.
cue q.mark question 0.3 need=? /(?<![?!])\?(?![?!])/
cue q.words question 0.35 /(?:^|(?<=[.!?\n] )|(?<=\n))(?:is|are|does|can|could|should|would|has|have|how|what|anyone|has anyone|does anyone|q for)\b[^.!\n]{0,120}?(?:\?|$)/
cue q.legit question 0.3 need=legit,scam,trustworthy,reliable,anyone,friend /\bis (?:\w+ ){0,3}(?:legit|a scam|trustworthy|reliable)\b|\banyone (?:know|else|booked|tried|used|had)\b|\basking for a friend\b/

# hypothetical: conditions, advice, imagined cases.
cue hyp.if_they hypothetical 0.3 need=if /\bif\b[^.!?\n,]{0,40}\b(?:ever|tries|try|tried to|pull|pulls|adds?|charges?|tells?|says?|won'?t|doesn'?t show|see)\b/
cue hyp.what_if hypothetical 0.3 need=what,case,would,imagin,suppos,hypothetical,thumb,thinking,unless,ever,if,cancel,leave,walk,switch,refuse,just,booking,leaving,renewing,assume /\b(?:what if|in case|just in case|would you|what would you|imagine if|imagine|suppose|supposing|hypothetically|rule of thumb|thinking out loud|unless they|should (?:they|the \w+|a \w+) ever|if (?:a|an) (?:company|salesperson|dealer|seller|store|business|gym)|if you see|if anyone|i'?d (?:cancel|leave|walk|switch)|i'?ll (?:cancel|walk|refuse|switch|just)|i'?m (?:booking|leaving|not renewing|going to assume))\b/
cue hyp.plan hypothetical 0.4 need=plan,renewing,probably,see,hopefully /\b(?:my plan if|i'?m not renewing|i'?ll probably|probably have to|we'?ll see|hopefully (?:it )?won'?t)\b/
cue hyp.braced hypothetical 0.35 need=braced,bracing,expecting,prepared,ready /\b(?:braced|bracing|went in expecting|walked in expecting|was expecting the worst|expecting the worst|prepared (?:myself )?for (?:the worst|a fight|battle|the hard sell|an upsell)|ready for (?:a fight|battle|the hard sell|the upsell))\b/

# contrast: the matter was put right.
cue con.refunded contrast 0.3 need=but /\bbut (?:then )?(?:they|it|he|she|the \w+)? ?(?:\w+ )?(?:refunded|fixed|waived|credited|reversed|corrected|removed|apologi[sz]ed|sorted|resolved|turned out (?:fine|ok|okay|legit|real|great|to be (?:fine|legit|real|true|a mistake))|was (?:legit|real|fine|true|my mistake)|actually (?:did|was|expired|went))\b/
cue con.turned_out_fine contrast 0.3 need=but,though,however /\b(?:but|though|however),? (?:it|that|this) (?:turned out|was) (?:fine|ok|okay|legit|real|my mistake|my fault|on me)\b/
cue con.had_it_after_all contrast 0.3 need=but /\bbut (?:they|it|he|she|the \w+) (?:actually |really )?(?:had|did have|honou?red|matched) (?:a whole|plenty|tons|lots|stacks|a pallet|a stack|it in stock|them in stock|the (?:advertised|sale|ad) (?:price|one))\b/
