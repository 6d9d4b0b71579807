S Yesterday I go to the school with my friend .
A 2 3|||R:VERB:TENSE|||went|||REQUIRED|||-NONE-|||0
A 4 5|||U:DET||||||REQUIRED|||-NONE-|||0

S She have two cat and one dog .
A 1 2|||R:VERB:SVA|||has|||REQUIRED|||-NONE-|||0
A 3 4|||R:NOUN:NUM|||cats|||REQUIRED|||-NONE-|||0

S I am agree with your opinion .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S He do n't like coffee very much .
A 1 2|||R:VERB:SVA|||does|||REQUIRED|||-NONE-|||0

S I want to buy a apple and a orange .
A 4 5|||R:DET|||an|||REQUIRED|||-NONE-|||0
A 7 8|||R:DET|||an|||REQUIRED|||-NONE-|||0

S I eat pizza with my family last weekend .
A 1 2|||R:VERB:TENSE|||ate|||REQUIRED|||-NONE-|||0

S My brother is student at university .
A 3 3|||M:DET|||a|||REQUIRED|||-NONE-|||0

S I am living in Seoul since 2015 .
A 1 2|||R:VERB:TENSE|||have been|||REQUIRED|||-NONE-|||0

S Can you explain me the rules ?
A 3 4|||U:PRON||||||REQUIRED|||-NONE-|||0
A 6 6|||M:OTHER|||to me|||REQUIRED|||-NONE-|||0

S I arrived to the airport at 7 o'clock .
A 2 3|||R:PREP|||at|||REQUIRED|||-NONE-|||0

S There is many people in the café .
A 1 2|||R:VERB:SVA|||are|||REQUIRED|||-NONE-|||0

S I have visited Japan last year .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S She is very interesting in music .
A 3 4|||R:MORPH|||interested|||REQUIRED|||-NONE-|||0

S I did n't went to work today .
A 3 4|||R:VERB:FORM|||go|||REQUIRED|||-NONE-|||0

S We discussed about the project yesterday .
A 2 3|||U:PREP||||||REQUIRED|||-NONE-|||0

S I will call you when I will arrive .
A 6 7|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S He is more taller than his father .
A 2 3|||U:ADV||||||REQUIRED|||-NONE-|||0

S I need some informations about the flight .
A 3 4|||R:NOUN:INFL|||information|||REQUIRED|||-NONE-|||0

S The weather is very hot in the summer in Korea .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I am working in this company for three years .
A 1 2|||R:VERB:TENSE|||have been|||REQUIRED|||-NONE-|||0

S My mother cooked a delicious foods for us .
A 3 4|||U:DET||||||REQUIRED|||-NONE-|||0
A 5 6|||R:NOUN:NUM|||food|||REQUIRED|||-NONE-|||0

S Please give me a glass of water .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I look forward to meet you .
A 4 5|||R:VERB:FORM|||meeting|||REQUIRED|||-NONE-|||0

S She married with a doctor .
A 2 3|||U:PREP||||||REQUIRED|||-NONE-|||0

S I have a lot of homeworks today .
A 5 6|||R:NOUN:INFL|||homework|||REQUIRED|||-NONE-|||0

S Where you are going now ?
A 1 3|||R:WO|||are you|||REQUIRED|||-NONE-|||0

S I do n't know what does he want .
A 5 6|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0
A 7 8|||R:VERB:SVA|||wants|||REQUIRED|||-NONE-|||0

S He said me that he was tired .
A 1 2|||R:VERB|||told|||REQUIRED|||-NONE-|||0

S I go to gym every morning .
A 3 3|||M:DET|||the|||REQUIRED|||-NONE-|||0

S Last night I watch a movie at home .
A 3 4|||R:VERB:TENSE|||watched|||REQUIRED|||-NONE-|||0

S The children is playing in the park .
A 2 3|||R:VERB:SVA|||are|||REQUIRED|||-NONE-|||0

S I 'd like a cup of coffee , please .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I was born in 1995 year .
A 5 6|||U:NOUN||||||REQUIRED|||-NONE-|||0

S This is the most expensive hotel in the city .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S She can speaks three languages .
A 2 3|||R:VERB:FORM|||speak|||REQUIRED|||-NONE-|||0

S I enjoyed to travel in Europe .
A 2 4|||R:VERB:FORM|||travelling|||REQUIRED|||-NONE-|||0

S My flight was delayed for two hours .
A 4 5|||R:PREP|||by|||REQUIRED|||-NONE-|||0

S Do you know where is the station ?
A 4 7|||R:WO|||the station is|||REQUIRED|||-NONE-|||0

S I have been to Busan two times last month .
A 1 3|||R:VERB|||went|||REQUIRED|||-NONE-|||0
A 5 7|||R:OTHER|||twice|||REQUIRED|||-NONE-|||0

S He is a honest man .
A 2 3|||R:DET|||an|||REQUIRED|||-NONE-|||0

S I am boring because there is nothing to do .
A 2 3|||R:MORPH|||bored|||REQUIRED|||-NONE-|||0

S Could you recommend me a good restaurant ?
A 3 4|||U:PRON||||||REQUIRED|||-NONE-|||0

S My father works at the bank as a manager .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I studied English during three years .
A 3 4|||R:PREP|||for|||REQUIRED|||-NONE-|||0

S Everybody have their own opinion .
A 1 2|||R:VERB:SVA|||has|||REQUIRED|||-NONE-|||0

S I will meet my friends on Saturday night .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S The meeting will start on 3 pm .
A 4 5|||R:PREP|||at|||REQUIRED|||-NONE-|||0

S I have a headache since yesterday .
A 2 2|||M:VERB|||had|||REQUIRED|||-NONE-|||0

S We was very happy to see you .
A 1 2|||R:VERB:SVA|||were|||REQUIRED|||-NONE-|||0

S I bought this shoes in Myeongdong .
A 2 3|||R:DET|||these|||REQUIRED|||-NONE-|||0

S She is good in mathematics .
A 3 4|||R:PREP|||at|||REQUIRED|||-NONE-|||0

S I did n't sleep good last night .
A 4 5|||R:ADV|||well|||REQUIRED|||-NONE-|||0

S This book is very interested .
A 4 5|||R:MORPH|||interesting|||REQUIRED|||-NONE-|||0

S I usually go to work by subway .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S He has went home already .
A 2 3|||R:VERB:FORM|||gone|||REQUIRED|||-NONE-|||0

S I am very exciting about the trip .
A 3 4|||R:MORPH|||excited|||REQUIRED|||-NONE-|||0

S There are a lot of car on the road .
A 5 6|||R:NOUN:NUM|||cars|||REQUIRED|||-NONE-|||0

S I want that you help me .
A 2 3|||U:PREP||||||REQUIRED|||-NONE-|||0
A 4 4|||M:VERB:FORM|||to|||REQUIRED|||-NONE-|||0

S My sister is older than me two years .
A 3 3|||M:OTHER|||two years|||REQUIRED|||-NONE-|||0
A 6 8|||U:OTHER||||||REQUIRED|||-NONE-|||0

S How much cost this bag ?
A 2 3|||R:OTHER|||does|||REQUIRED|||-NONE-|||0
A 5 5|||M:NOUN|||cost|||REQUIRED|||-NONE-|||0

S I prefer tea than coffee .
A 3 4|||R:PREP|||to|||REQUIRED|||-NONE-|||0

S I have lived here when I was a child .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S The room is too much small for two people .
A 4 5|||U:ADJ||||||REQUIRED|||-NONE-|||0

S I forgot to bring my passport .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S She do n't have any brothers .
A 1 2|||R:VERB:SVA|||does|||REQUIRED|||-NONE-|||0

S I will go to shopping tomorrow .
A 3 4|||U:PREP||||||REQUIRED|||-NONE-|||0

S It is difficult to me to understand .
A 3 4|||R:PREP|||for|||REQUIRED|||-NONE-|||0

S I am used to wake up early .
A 4 5|||R:VERB:FORM|||waking|||REQUIRED|||-NONE-|||0

S He asked me where did I live .
A 4 5|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0
A 6 7|||R:VERB:TENSE|||lived|||REQUIRED|||-NONE-|||0

S Could I have the bill , please ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I have two sister and one brother .
A 3 4|||R:NOUN:NUM|||sisters|||REQUIRED|||-NONE-|||0

S My english is not very good .
A 1 2|||R:ORTH|||English|||REQUIRED|||-NONE-|||0

S I met him in the monday .
A 3 4|||R:PREP|||on|||REQUIRED|||-NONE-|||0
A 4 5|||U:DET||||||REQUIRED|||-NONE-|||0
A 5 6|||R:ORTH|||Monday|||REQUIRED|||-NONE-|||0

S Thank you for your help yesterday .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I ca n't find my key anywhere .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I reserved a room for three nights .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S The air conditioner in my room do n't work .
A 6 7|||R:VERB:SVA|||does|||REQUIRED|||-NONE-|||0

S I am waiting you for an hour .
A 1 2|||R:VERB:TENSE|||have been|||REQUIRED|||-NONE-|||0
A 3 3|||M:PREP|||for|||REQUIRED|||-NONE-|||0

S She is the person who I told you about .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I did n't know that he is married .
A 6 7|||R:VERB:TENSE|||was|||REQUIRED|||-NONE-|||0

S I have finished my report yesterday .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S Let 's meet in front of the cinema .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S My hobby is listen to music .
A 3 4|||R:VERB:FORM|||listening|||REQUIRED|||-NONE-|||0

S He is working as a engineer .
A 4 5|||R:DET|||an|||REQUIRED|||-NONE-|||0

S I feel very tiring after work .
A 3 4|||R:MORPH|||tired|||REQUIRED|||-NONE-|||0

S The price of the ticket are very high .
A 5 6|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0

S I have been in London last summer .
A 1 3|||R:VERB:TENSE|||was|||REQUIRED|||-NONE-|||0

S I would like to make a reservation for two people .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S She go to church every Sunday .
A 1 2|||R:VERB:SVA|||goes|||REQUIRED|||-NONE-|||0

S I saw a accident on the way home .
A 2 3|||R:DET|||an|||REQUIRED|||-NONE-|||0

S Our teacher gave us many advices .
A 4 5|||R:OTHER|||a lot of|||REQUIRED|||-NONE-|||0
A 5 6|||R:NOUN:NUM|||advice|||REQUIRED|||-NONE-|||0

S I am not sure if it will rain tomorrow .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I will send you the file until Friday .
A 6 7|||R:PREP|||by|||REQUIRED|||-NONE-|||0

S He made me to wait for a long time .
A 3 4|||U:VERB:FORM||||||REQUIRED|||-NONE-|||0

S There was no seat in the bus .
A 4 5|||R:PREP|||on|||REQUIRED|||-NONE-|||0

S I am interesting in learning Spanish .
A 2 3|||R:MORPH|||interested|||REQUIRED|||-NONE-|||0

S I lost my wallet in the taxi yesterday .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S What time does the museum open ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I has a question about my order .
A 1 2|||R:VERB:SVA|||have|||REQUIRED|||-NONE-|||0

S She told that she will come late .
A 1 2|||R:VERB|||said|||REQUIRED|||-NONE-|||0
A 4 5|||R:VERB:TENSE|||would|||REQUIRED|||-NONE-|||0

S My friend recommended this restaurant to me .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I went there by a bus .
A 4 5|||U:DET||||||REQUIRED|||-NONE-|||0

S I was very surprising when I heard the news .
A 3 4|||R:MORPH|||surprised|||REQUIRED|||-NONE-|||0

S I did n't see him since last year .
A 1 2|||R:VERB:TENSE|||have|||REQUIRED|||-NONE-|||0
A 3 4|||R:VERB:FORM|||seen|||REQUIRED|||-NONE-|||0

S The soup is too salt .
A 4 5|||R:SPELL|||salty|||REQUIRED|||-NONE-|||0

S I usually drink two cup of coffee a day .
A 4 5|||R:NOUN:NUM|||cups|||REQUIRED|||-NONE-|||0

S Each students has a laptop .
A 1 2|||R:NOUN:NUM|||student|||REQUIRED|||-NONE-|||0

S Please turn off the light when you leave .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I am going to the dentist at Tuesday .
A 6 7|||R:PREP|||on|||REQUIRED|||-NONE-|||0

S I have many works to do this week .
A 2 3|||R:OTHER|||a lot of|||REQUIRED|||-NONE-|||0
A 3 4|||R:NOUN:NUM|||work|||REQUIRED|||-NONE-|||0

S She looks like very tired .
A 2 3|||U:PREP||||||REQUIRED|||-NONE-|||0

S I would like to order a chicken salad .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S He was born at Busan .
A 3 4|||R:PREP|||in|||REQUIRED|||-NONE-|||0

S Can I pay by credit card ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S This is my first time to visit Canada .
A 5 7|||R:VERB:FORM|||visiting|||REQUIRED|||-NONE-|||0

S I think it is a good idea .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S The movie was so bored that I fell asleep .
A 4 5|||R:MORPH|||boring|||REQUIRED|||-NONE-|||0

S I did a mistake in my report .
A 1 2|||R:VERB|||made|||REQUIRED|||-NONE-|||0

S I will do my best for the interview .
A 5 6|||R:PREP|||in|||REQUIRED|||-NONE-|||0

S My phone battery is almost dead .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I have graduated from university in 2020 .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S She is more smarter than me .
A 2 3|||U:ADV||||||REQUIRED|||-NONE-|||0

S I called to my mother last night .
A 2 3|||U:PREP||||||REQUIRED|||-NONE-|||0

S We have a meeting in every Monday .
A 4 5|||U:PREP||||||REQUIRED|||-NONE-|||0

S I 'm sorry for the late reply .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S He is living with his parents now .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I ca n't decide which one to buy .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I wanted to went to the concert .
A 3 4|||R:VERB|||go|||REQUIRED|||-NONE-|||0

S The train is leaving in five minutes .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S She has long hairs .
A 3 4|||R:NOUN:NUM|||hair|||REQUIRED|||-NONE-|||0

S I am staying at this hotel since Monday .
A 1 2|||R:VERB:TENSE|||have been|||REQUIRED|||-NONE-|||0

S I do n't have no time today .
A 4 5|||R:DET|||any|||REQUIRED|||-NONE-|||0

S How long does it take to the airport ?
A 5 5|||M:VERB|||to get|||REQUIRED|||-NONE-|||0

S My boss let me to go home early .
A 4 5|||U:VERB:FORM||||||REQUIRED|||-NONE-|||0

S It was a very nice weather yesterday .
A 2 3|||U:DET||||||REQUIRED|||-NONE-|||0

S I have a reservation under the name Kim .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S He suggested me to take a taxi .
A 2 2|||M:PREP|||that|||REQUIRED|||-NONE-|||0
A 2 3|||R:PRON|||I|||REQUIRED|||-NONE-|||0
A 3 4|||U:VERB:FORM||||||REQUIRED|||-NONE-|||0

S I am not used to eat spicy food .
A 5 6|||R:VERB:FORM|||eating|||REQUIRED|||-NONE-|||0

S The book which I bought it is very long .
A 5 6|||U:PRON||||||REQUIRED|||-NONE-|||0

S I 'll have the same , please .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S Do you mind if I open the window ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I finished to read the book .
A 2 4|||R:VERB:FORM|||reading|||REQUIRED|||-NONE-|||0

S My favourite food are noodles .
A 3 4|||R:VERB:SVA|||is|||REQUIRED|||-NONE-|||0

S The store closes on 10 pm .
A 3 4|||R:PREP|||at|||REQUIRED|||-NONE-|||0

S She has been to Paris many times .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I am agree that we need more time .
A 1 2|||U:VERB:TENSE||||||REQUIRED|||-NONE-|||0

S We stayed in a hotel near to the beach .
A 6 7|||U:PREP||||||REQUIRED|||-NONE-|||0

S He can plays the guitar very well .
A 2 3|||R:VERB:FORM|||play|||REQUIRED|||-NONE-|||0

S I have one question for the project .
A 4 5|||R:PREP|||about|||REQUIRED|||-NONE-|||0

S Could you tell me how to get to the station ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I 'm looking for a job in the IT industry .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S Yesterday was raining all day .
A 1 1|||M:PRON|||it|||REQUIRED|||-NONE-|||0

S Is this seat taken ?
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I need to change my money to dollars .
A 6 7|||R:PREP|||into|||REQUIRED|||-NONE-|||0

S I have a sore throat and a fever .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S My head hurt since this morning .
A 2 2|||M:VERB:TENSE|||has|||REQUIRED|||-NONE-|||0

S I sent the email to him yesterday morning .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S I ca n't to come to the party .
A 3 4|||U:VERB:FORM||||||REQUIRED|||-NONE-|||0
