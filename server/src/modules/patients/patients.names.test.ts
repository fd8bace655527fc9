import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  devanagariToLatin, nameTokens, phoneticKey, scriptOf, similarity, trigramSimilarity, trigrams,
} from './patients.names.js';

/** Asserts that every spelling in `names` has the same phonetic key as the first. */
function sameKey(names: string[]) {
  const [first, ...rest] = names;
  const key = phoneticKey(first);
  assert.ok(key.length > 0, `empty key for ${first}`);
  for (const name of rest) assert.equal(phoneticKey(name), key, `${name} vs ${first}`);
}

describe('phoneticKey: a Devanagari name and its Latin spellings share one key', () => {
  const required: string[][] = [
    ['रमेश कुमार', 'Ramesh Kumar'],
    ['सुनीता देवी', 'Sunita Devi', 'Sunita Debi'],
    ['प्रिया शर्मा', 'Priya Sharma'],
    ['अनिल', 'Anil'],
    ['लक्ष्मी', 'Laxmi', 'Lakshmi'],
    ['कृष्ण', 'Krishna', 'Krishan'],
    ['विजय', 'Vijay', 'Vijai'],
    ['गीता', 'Geeta', 'Gita'],
    ['पूजा', 'Pooja', 'Puja'],
    ['मोहम्मद', 'Mohammad', 'Mohammed'],
    ['राजेश', 'Rajesh'],
    ['सिंह', 'Singh'],
    ['ज्योति', 'Jyoti'],
    ['शांति', 'Shanti'],
    ['खान', 'Khan'],
    ['चौधरी', 'Chaudhary', 'Choudhary'],
    ['यादव', 'Yadav'],
    ['ठाकुर', 'Thakur'],
    ['वर्मा', 'Verma', 'Varma'],
  ];
  for (const names of required) test(names.join(' = '), () => sameKey(names));

  // more names common in Haryana, Himachal and Bihar, with the spellings registers actually hold
  const more: string[][] = [
    ['सुरेंद्र', 'सुरेन्द्र', 'Surender', 'Surendra', 'Surinder'],
    ['राजेंद्र', 'Rajender', 'Rajinder', 'Rajendra'],
    ['जितेंद्र', 'Jitender', 'Jitendra'],
    ['धर्मेंद्र', 'Dharmender', 'Dharmendra'],
    ['महेंद्र', 'Mahender', 'Mahendra'],
    ['रविंद्र', 'Ravinder', 'Ravindra'],
    ['जसविंदर', 'Jaswinder', 'Jasvinder'],
    ['कुलविंदर', 'Kulwinder'],
    ['चंद्र', 'चन्द्र', 'Chandra', 'Chander'],
    ['इंद्र', 'Indra', 'Inder'],
    ['बलवंत', 'Balwant', 'Balvant'],
    ['जगदीश', 'Jagdish', 'Jagadish'],
    ['सुशीला', 'Sushila', 'Susheela'],
    ['कमला', 'Kamla', 'Kamala'],
    ['विमला', 'Vimla', 'Bimla', 'Vimala'],
    ['ममता', 'Mamta', 'Mamata'],
    ['भावना', 'Bhawna', 'Bhavna', 'Bhawana'],
    ['आरती', 'Aarti', 'Arti', 'Arati'],
    ['पवन', 'Pawan', 'Pavan'],
    ['विकास', 'Vikas', 'Vikash', 'Bikash'],
    ['विनोद', 'Vinod', 'Binod'],
    ['रवि', 'Ravi', 'Rabi'],
    ['सविता', 'Savita', 'Sabita'],
    ['कविता', 'Kavita', 'Kabita'],
    ['पार्वती', 'Parvati', 'Parwati'],
    ['सरस्वती', 'Saraswati'],
    ['गुरमीत', 'Gurmeet', 'Gurmit'],
    ['हरप्रीत', 'Harpreet'],
    ['अमरजीत', 'Amarjeet', 'Amarjit'],
    ['धर्मवीर', 'Dharmvir', 'Dharamvir', 'Dharmveer', 'Dharambir'],
    ['कुलदीप', 'Kuldeep', 'Kuldip'],
    ['संदीप', 'Sandeep', 'Sandip'],
    ['ओमप्रकाश', 'Omprakash'],
    ['ओम प्रकाश', 'Om Prakash'],
    ['राम प्रसाद', 'Ram Prasad'],
    ['अमरनाथ', 'Amarnath'],
    ['शिवचरण', 'Shivcharan'],
    ['रामकिशन', 'Ramkishan'],
    ['किशन', 'Kishan'],
    ['मनमोहन', 'Manmohan'],
    ['मोहनलाल', 'Mohanlal'],
    ['कौशल्या', 'Kaushalya', 'Koshalya'],
    ['नीतू', 'Neetu', 'Nitu'],
    ['रीना', 'Reena', 'Rina'],
    ['सीमा', 'Seema', 'Sima'],
    ['पिंकी', 'Pinky', 'Pinki'],
    ['संजय', 'Sanjay', 'Sanjai'],
    ['आकाश', 'Akash', 'Aakash'],
    ['दीपक', 'Deepak', 'Dipak'],
    ['प्रवीण', 'Praveen', 'Pravin'],
    ['परवीन', 'Parveen', 'Perveen'],
    ['अहमद', 'Ahmad', 'Ahmed'],
    ['जावेद', 'Javed', 'Jawed'],
    ['नसरीन', 'Nasreen', 'Nasrin'],
    ['रज़िया', 'Razia', 'Raziya'],
    ['ज़ाकिर', 'Zakir', 'Jakir'],
    ['फ़ातिमा', 'फातिमा', 'Fatima'],
    ['इरफ़ान', 'Irfan'],
    ['पासवान', 'Paswan'],
    ['मंडल', 'Mandal'],
    ['महतो', 'Mahto', 'Mahato'],
    ['झा', 'Jha'],
    ['मिश्रा', 'मिश्र', 'Mishra'],
    ['पांडे', 'पाण्डेय', 'Pandey', 'Pande'],
    ['दुबे', 'Dubey', 'Dube'],
    ['चौबे', 'Choubey', 'Chaubey'],
    ['श्रीवास्तव', 'Srivastava', 'Shrivastav'],
    ['भारद्वाज', 'Bhardwaj', 'Bharadwaj'],
    ['राठौर', 'Rathore', 'Rathour'],
    ['चौहान', 'Chauhan'],
    ['राणा', 'Rana'],
    ['नेगी', 'Negi'],
    ['डोगरा', 'Dogra'],
    ['सैनी', 'Saini'],
    ['हुड्डा', 'Hooda', 'Hudda'],
    ['सांगवान', 'Sangwan'],
    ['जाखड़', 'Jakhar'],
    ['बिश्नोई', 'Bishnoi'],
    ['गौरव', 'Gaurav', 'Gourav'],
    ['लक्ष्मण', 'Laxman', 'Lakshman'],
    ['ज्ञान चंद', 'Gyan Chand'],
    ['बच्चन', 'Bachchan', 'Bachan'],
    ['छाया', 'Chhaya', 'Chaya'],
    ['चंपा', 'Champa'],
    ['शंभू', 'Shambhu'],
    ['उषा', 'ऊषा', 'Usha'],
    ['किशोर', 'Kishore', 'Kishor'],
  ];
  for (const names of more) test(names.join(' = '), () => sameKey(names));

  test('Muhammad, Mohamed and the abbreviations Md. and Mohd. are Mohammad', () => {
    sameKey(['मोहम्मद', 'Muhammad', 'Mohamed', 'Md.', 'Mohd', 'MOHD.']);
    assert.equal(phoneticKey('Md. Irfan Khan'), phoneticKey('मोहम्मद इरफ़ान ख़ान'));
  });
  test('Chaudhari and the Bengali Chowdhury spellings are Chaudhary', () => {
    sameKey(['Chaudhary', 'Chaudhari', 'Chaudhry', 'Chowdhury', 'Choudhury', 'Chaudhuri']);
  });
  test('nukta letters read the same typed as one code point or as letter + nukta', () => {
    assert.equal(phoneticKey('\u095B\u093E\u0915\u093F\u0930'), phoneticKey('\u091C\u093C\u093E\u0915\u093F\u0930'));
    assert.equal(phoneticKey('जाखड़'), phoneticKey('जाखड़'));
  });
});

describe('phoneticKey: different names keep different keys', () => {
  const distinct: [string, string][] = [
    ['Ramesh', 'Suresh'], ['Sunita', 'Anita'], ['Rajesh', 'Rakesh'], ['Geeta', 'Seeta'],
    ['Mahesh', 'Naresh'], ['Dinesh', 'Mukesh'], ['Mohan', 'Sohan'], ['Pooja', 'Puneet'], ['Rekha', 'Radha'],
    ['Seema', 'Reena'], ['Meena', 'Mina Kumari'], ['Singh', 'Sinha'], ['Sharma', 'Verma'], ['Yadav', 'Jadhav'],
    ['Kavita', 'Savita'], ['Vijay', 'Ajay'], ['Sanjay', 'Sanjeev'], ['Anil', 'Sunil'], ['Amit', 'Sumit'],
    ['रमेश', 'सुरेश'], ['सुनीता', 'अनीता'], ['राजेश', 'राकेश'], ['गीता', 'सीता'],
  ];
  for (const [a, b] of distinct) {
    test(`${a} ≠ ${b}`, () => assert.notEqual(phoneticKey(a), phoneticKey(b)));
  }
  test('across the common names in these tests, few keys collide', () => {
    const names = ['Ramesh', 'Suresh', 'Rajesh', 'Rakesh', 'Mahesh', 'Naresh', 'Dinesh', 'Mukesh', 'Umesh', 'Yogesh',
      'Ganesh', 'Sunita', 'Anita', 'Savita', 'Kavita', 'Babita', 'Geeta', 'Seeta', 'Reena', 'Meena', 'Seema', 'Neha',
      'Rekha', 'Radha', 'Pooja', 'Priya', 'Jyoti', 'Shanti', 'Kamla', 'Vimla', 'Nirmala', 'Urmila', 'Sushila', 'Santosh',
      'Manoj', 'Pawan', 'Vikas', 'Vinod', 'Anil', 'Sunil', 'Amit', 'Sumit', 'Ajay', 'Vijay', 'Sanjay', 'Deepak', 'Sandeep',
      'Pradeep', 'Kuldeep', 'Mohan', 'Sohan', 'Krishna', 'Laxmi', 'Parvati', 'Saraswati', 'Mamta', 'Suman', 'Anju', 'Manju'];
    const keys = new Set(names.map(phoneticKey));
    assert.equal(keys.size, names.length);
  });
});

describe('phoneticKey: shape', () => {
  test('lower-case ASCII words separated by single spaces', () => {
    for (const name of ['  Ramesh   Kumar ', 'रमेश  कुमार', 'Smt. SUNITA-Devi', 'Rāmesh Kumār', 'D\'Souza', 'राम-प्रसाद १२']) {
      assert.match(phoneticKey(name), /^[a-z]+( [a-z]+)*$/, name);
    }
    assert.equal(phoneticKey('  Ramesh   Kumar '), phoneticKey('Ramesh Kumar'));
  });
  test('keys are short: no longer than the name (x aside, which is ks)', () => {
    for (const name of ['Ramesh Kumar', 'Mohammed Irfan', 'Chaudhary', 'Jaswinder Kaur', 'Lakshmi', 'रमेश कुमार']) {
      assert.ok(phoneticKey(name).length <= name.length, name);
    }
  });
  test('accents, case, punctuation and digits do not matter', () => {
    assert.equal(phoneticKey('Rāmesh Kumār'), phoneticKey('RAMESH KUMAR'));
    assert.equal(phoneticKey('Ramesh Kumar 2'), phoneticKey('ramesh.kumar'));
  });
  test('titles are left out, unless the name is nothing else', () => {
    assert.equal(phoneticKey('Smt. Sunita Devi'), phoneticKey('Sunita Devi'));
    assert.equal(phoneticKey('श्रीमती सुनीता देवी'), phoneticKey('Sunita Devi'));
    assert.equal(phoneticKey('Dr. Anil Sharma'), phoneticKey('Anil Sharma'));
    assert.equal(phoneticKey('Mrs'), 'mrs');
  });
  test('empty, blank or letterless input gives an empty key', () => {
    for (const name of ['', '   ', '123', '.-', undefined as unknown as string]) assert.equal(phoneticKey(name), '');
  });
  test('a mixed-script name keys like either spelling', () => {
    assert.equal(phoneticKey('Ramesh कुमार'), phoneticKey('Ramesh Kumar'));
  });
});

describe('similarity', () => {
  test('a dropped vowel in Latin still finds the Devanagari name', () => {
    assert.ok(similarity('Rmesh Kumar', 'रमेश कुमार') >= 0.5, String(similarity('Rmesh Kumar', 'रमेश कुमार')));
  });
  test('a Devanagari typo still finds the Latin name', () => {
    assert.ok(similarity('रमेस कुमार', 'Ramesh Kumar') >= 0.5);
    assert.ok(similarity('सुनिता देबी', 'Sunita Devi') >= 0.5);
    assert.ok(similarity('Sunitha Devi', 'सुनीता देवी') >= 0.5);
    assert.ok(similarity('Priya Shrma', 'प्रिया शर्मा') >= 0.5);
    assert.ok(similarity('Mohammad Irfan', 'मो. इरफ़ान') >= 0.3);
  });
  test('different people score low', () => {
    assert.ok(similarity('Suresh Yadav', 'Ramesh Kumar') < 0.35);
    assert.ok(similarity('सुरेश यादव', 'Ramesh Kumar') < 0.35);
    assert.ok(similarity('Geeta Devi', 'Sunita Devi') < 0.5);
    assert.ok(similarity('Rajesh Kumar', 'Rakesh Kumar') < 1);
  });
  test('same name in both scripts is 1; symmetric; 0 when there is nothing to compare', () => {
    assert.equal(similarity('सुनीता देवी', 'Sunita Debi'), 1);
    assert.equal(similarity('Ramesh Kumar', 'Suresh Yadav'), similarity('Suresh Yadav', 'Ramesh Kumar'));
    assert.equal(similarity('', ''), 0);
    assert.equal(similarity('Ramesh', ''), 0);
  });
  test('word order does not matter, as in pg_trgm', () => {
    assert.equal(similarity('Kumar Ramesh', 'रमेश कुमार'), 1);
  });
  test('scores lie between 0 and 1', () => {
    const names = ['Ramesh Kumar', 'रमेश', 'Sunita', 'Md Irfan', 'Jha', 'X', 'सिंह'];
    for (const a of names) {
      for (const b of names) {
        const s = similarity(a, b);
        assert.ok(s >= 0 && s <= 1, `${a} / ${b}: ${s}`);
      }
    }
  });
});

describe('trigrams and trigramSimilarity match pg_trgm', () => {
  test('show_trgm(\'word\')', () => {
    assert.deepEqual([...trigrams('word')].sort(), ['  w', ' wo', 'ord', 'rd ', 'wor']);
  });
  test('each word is padded on its own and repeats count once', () => {
    assert.deepEqual([...trigrams('a b')].sort(), ['  a', '  b', ' a ', ' b ']);
    assert.equal(trigrams('ram ram').size, trigrams('ram').size);
  });
  test('similarity(\'word\', \'two words\') = 4/11', () => {
    assert.ok(Math.abs(trigramSimilarity('word', 'two words') - 4 / 11) < 1e-9);
  });
});

describe('nameTokens', () => {
  test('one key per word, for indexing', () => {
    assert.deepEqual(nameTokens('Ramesh Kumar Yadav'), [phoneticKey('Ramesh'), phoneticKey('Kumar'), phoneticKey('Yadav')]);
    assert.deepEqual(nameTokens('रमेश कुमार'), nameTokens('Ramesh Kumar'));
  });
  test('repeats and titles are dropped; nothing gives no tokens', () => {
    assert.deepEqual(nameTokens('Smt. Ram Ram'), [phoneticKey('Ram')]);
    assert.deepEqual(nameTokens('  '), []);
  });
});

describe('scriptOf', () => {
  test('devanagari, latin or mixed', () => {
    assert.equal(scriptOf('रमेश कुमार'), 'devanagari');
    assert.equal(scriptOf('Ramesh Kumar'), 'latin');
    assert.equal(scriptOf('Rāmesh'), 'latin');
    assert.equal(scriptOf('Ramesh कुमार'), 'mixed');
    assert.equal(scriptOf('रमेश 12'), 'devanagari');
  });
  test('text without letters counts as latin', () => {
    assert.equal(scriptOf(''), 'latin');
    assert.equal(scriptOf('123'), 'latin');
  });
});

describe('devanagariToLatin', () => {
  const cases: [string, string][] = [
    ['रमेश कुमार', 'Ramesh Kumar'],
    ['सुनीता देवी', 'Sunita Devi'],
    ['प्रिया शर्मा', 'Priya Sharma'],
    ['लक्ष्मी', 'Lakshmi'],
    ['कृष्ण', 'Krishna'],
    ['मिश्र', 'Mishra'],
    ['विजय', 'Vijay'],
    ['मोहम्मद', 'Mohammad'],
    ['सिंह', 'Singh'],
    ['ज्योति', 'Jyoti'],
    ['शांति', 'Shanti'],
    ['ठाकुर', 'Thakur'],
    ['यादव', 'Yadav'],
    ['खान', 'Khan'],
    ['झा', 'Jha'],
    // the inherent a Hindi drops in the middle of a word
    ['कमला', 'Kamla'],
    ['जगदीश', 'Jagdish'],
    ['बलवंत', 'Balvant'],
    ['हंसराज', 'Hansraj'],
    ['भारद्वाज', 'Bhardvaj'],
    // and keeps
    ['सरस्वती', 'Sarasvati'],
    ['अर्चना', 'Archana'],
    ['सूर्य', 'Surya'],
    ['आदित्य', 'Aditya'],
    ['आनन्द', 'Anand'],
    ['अनंत', 'Anant'],
    ['सिद्धार्थ', 'Siddharth'],
    // compound names
    ['ओमप्रकाश', 'Omprakash'],
    ['हरप्रीत', 'Harprit'],
    ['अमरनाथ', 'Amarnath'],
    ['परमजीत', 'Paramjit'],
    ['मोहनलाल', 'Mohanlal'],
    ['धर्मवीर', 'Dharmvir'],
    ['रामचंद्र', 'Ramchandra'],
    ['श्रीमती', 'Shrimati'],
    // anusvara, chandrabindu, nukta, visarga, conjuncts
    ['चंपा', 'Champa'],
    ['शंभू', 'Shambhu'],
    ['कुँवर', 'Kunvar'],
    ['ज़ाकिर', 'Zakir'],
    ['फ़ातिमा', 'Fatima'],
    ['जाखड़', 'Jakhar'],
    ['क्षमा', 'Kshama'],
    ['ज्ञान चंद', 'Gyan Chand'],
    ['दुःखी', 'Duhkhi'],
    ['ॐ प्रकाश', 'Om Prakash'],
  ];
  for (const [hindi, latin] of cases) test(`${hindi} → ${latin}`, () => assert.equal(devanagariToLatin(hindi), latin));

  test('Latin letters, digits and punctuation pass through; Devanagari digits and dandas become ASCII', () => {
    assert.equal(devanagariToLatin('Ramesh कुमार'), 'Ramesh Kumar');
    assert.equal(devanagariToLatin('राम-कुमार (१२)।'), 'Ram-Kumar (12).');
    assert.equal(devanagariToLatin('Sunita Devi'), 'Sunita Devi');
    assert.equal(devanagariToLatin(''), '');
  });
  test('zero-width joiners are ignored', () => {
    assert.equal(devanagariToLatin('र\u200Dमेश'), 'Ramesh');
  });
  test('the romanised name keys the same as the Devanagari one', () => {
    for (const name of ['रमेश कुमार', 'सुनीता देवी', 'चौधरी', 'ओमप्रकाश', 'मोहम्मद', 'लक्ष्मी', 'सांगवान']) {
      assert.equal(phoneticKey(devanagariToLatin(name)), phoneticKey(name), name);
    }
  });
});
