category fees
regex r.x fees 1.0 /(a+)+$/
regex r.y fees 1 need=ab /(?:ab|a(?=b))*c/
cue q question 0.2 /\?/
