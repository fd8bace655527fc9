/** Place names for the demo registry: villages and towns of Hisar, Mandi, Patna and Delhi. */
export type Named = [en: string, hi: string];

export const HISAR_VILLAGES: Named[] = [
  ['Agroha', 'अग्रोहा'], ['Adampur', 'आदमपुर'], ['Barwala', 'बरवाला'], ['Hansi', 'हांसी'], ['Narnaund', 'नारनौंद'],
  ['Uklana', 'उकलाना'], ['Balsamand', 'बालसमंद'], ['Mirzapur', 'मिर्जापुर'], ['Siswal', 'सिसवाल'], ['Kaimri', 'कैमरी'],
  ['Ladwa', 'लाडवा'], ['Dhana Khurd', 'धाना खुर्द'], ['Sorkhi', 'सोरखी'], ['Mundhal', 'मुंढाल'], ['Bass', 'बास'],
  ['Satrod', 'सातरोड'], ['Mangali', 'मंगाली'], ['Talwandi Rana', 'तलवंडी राणा'], ['Kanwari', 'कनवारी'], ['Ding', 'डिंग'],
  ['Dobhi', 'डोभी'], ['Sisai', 'सीसाय'], ['Datta', 'दत्ता'], ['Pabra', 'पाबड़ा'], ['Rajli', 'राजली'],
  ['Sarsod', 'सरसौद'], ['Bhatla', 'भाटला'], ['Kirmara', 'किरमारा'], ['Nyoli', 'न्योली'], ['Chaudhriwas', 'चौधरीवास'],
  ['Budana', 'बुडाना'], ['Mayyar', 'मय्यड़'], ['Bhojraj', 'भोजराज'], ['Puthi Samain', 'पुठी समैन'], ['Umra', 'उमरा'],
  ['Sultanpur', 'सुल्तानपुर'], ['Gangwa', 'गंगवा'], ['Dabra', 'डाबड़ा'], ['Bir Babran', 'बीड़ बबरान'], ['Kharia', 'खरिया'],
  ['Muklan', 'मुकलान'], ['Kabrel', 'काबरेल'], ['Litani', 'लितानी'], ['Khanda Kheri', 'खांडा खेड़ी'], ['Neoli Kalan', 'न्योली कलां'],
  ['Sadalpur', 'सदलपुर'], ['Chuli Bagrian', 'चूली बागड़ियान'], ['Kheri Barki', 'खेड़ी बर्की'], ['Sarangpur', 'सारंगपुर'], ['Bichpari', 'बिचपड़ी'],
  ['Petwar', 'पेटवाड़'], ['Sulchani', 'सुलचानी'], ['Kharkhari', 'खरखड़ी'], ['Jakhod Khera', 'जाखोद खेड़ा'], ['Arya Nagar', 'आर्य नगर'],
  ['Mehanda', 'मेहंदा'], ['Bhiwani Rohilla', 'भिवानी रोहिल्ला'], ['Seemli', 'सीमली'], ['Budha Khera', 'बुढा खेड़ा'], ['Mothsar', 'मोठसर'],
  ['Kumbha', 'कुम्भा'], ['Sandlana', 'सांडलाना'], ['Khedar', 'खेदड़'], ['Ghirai', 'घिराय'], ['Jamawari', 'जमावड़ी'],
  ['Pali', 'पाली'], ['Kaluwas', 'कालूवास'], ['Bugana', 'बुगाना'], ['Thurana', 'थुराना'], ['Bhera', 'भेरा'],
  ['Rakhi Garhi', 'राखीगढ़ी'], ['Majra', 'माजरा'], ['Sotha', 'सोथा'], ['Kheri Chopta', 'खेड़ी चोपटा'], ['Lohari Raghu', 'लोहारी राघो'],
  ['Kalirawan', 'कालीरावण'], ['Dhani Garan', 'ढाणी गारण'], ['Haibatpur', 'हैबतपुर'], ['Kungar', 'कुंगड़'], ['Mahjat', 'महजत'],
  ['Syahadwa', 'स्याहड़वा'], ['Bhaklana', 'भकलाना'], ['Chiri', 'चिड़ी'], ['Dhiktana', 'धिकताना'], ['Ratera', 'रतेरा'],
];

export const HISAR_LOCALITIES = ['Model Town', 'Urban Estate', 'Rajguru Market', 'Camp Chowk', 'Delhi Road', 'Sirsa Road', 'Red Square Market', 'Sector 13', 'Sector 15', 'Patel Nagar', 'Auto Market', 'Parijat Chowk'];
export const SURNAMES = ['Jindal', 'Goyal', 'Saini', 'Sharma', 'Gupta', 'Malik', 'Punia', 'Bishnoi', 'Verma', 'Arora', 'Singla', 'Mittal', 'Sihag', 'Godara', 'Chaudhary', 'Bansal', 'Aggarwal', 'Yadav', 'Dahiya', 'Kadian'];
export const PRIVATE_WORDS = ['Sanjeevani', 'Shanti', 'Jeevan', 'Arogya', 'Sarvodaya', 'Sukhda', 'Prakash', 'Mahavir', 'Sri Ram', 'Aastha', 'Om', 'Maharaja Agrasen', 'City', 'Care', 'Life Line', 'New Era'];

export const MANDI_VILLAGES: Named[] = [
  ['Nerchowk', 'नेरचौक'], ['Bagi', 'बग्गी'], ['Bhangrotu', 'भंगरोटू'], ['Dadour', 'डडौर'], ['Kalkhar', 'कलखर'],
  ['Mahadev', 'महादेव'], ['Baggi', 'बग्गी'], ['Rattipatti', 'रत्तीपत्ती'], ['Kansa', 'कंसा'], ['Balh', 'बल्ह'],
  ['Kummi', 'कुम्मी'], ['Lunapani', 'लूणापानी'], ['Ner', 'नेर'], ['Chakkar', 'चक्कर'], ['Gutkar', 'गुटकर'],
  ['Thanakasoga', 'थानाकसोगा'], ['Sundernagar', 'सुंदरनगर'], ['Dehar', 'डैहर'], ['Salapar', 'सलापड़'], ['Jaroll', 'जरोल'],
  ['Kangoo', 'कांगू'], ['Bhojpur', 'भोजपुर'], ['Chamukha', 'चमुखा'], ['Harabag', 'हराबाग'], ['Jogindernagar', 'जोगिंदरनगर'],
  ['Chauntra', 'चौंतड़ा'], ['Ladbharol', 'लडभड़ोल'], ['Padhar', 'पधर'], ['Drang', 'द्रंग'], ['Kataula', 'कटौला'],
  ['Sarkaghat', 'सरकाघाट'], ['Baldwara', 'बलद्वाड़ा'], ['Dharampur', 'धर्मपुर'], ['Sandhol', 'संधोल'], ['Tihra', 'टिहरा'],
  ['Karsog', 'करसोग'], ['Pangna', 'पांगणा'], ['Churag', 'चुराग'], ['Seri', 'सेरी'], ['Thunag', 'थुनाग'],
  ['Janjehli', 'जंजैहली'], ['Bagsaid', 'बगस्याड़'], ['Chachyot', 'चच्योट'], ['Gohar', 'गोहर'], ['Chail Chowk', 'चैलचौक'],
  ['Bali Chowki', 'बालीचौकी'], ['Pandoh', 'पंडोह'], ['Aut', 'औट'], ['Sainj', 'सैंज'], ['Rewalsar', 'रिवालसर'],
  ['Kotli', 'कोटली'], ['Sadar', 'सदर'], ['Bijni', 'बिजनी'], ['Tarna', 'टारना'], ['Kehnwal', 'कैहनवाल'],
  ['Kamand', 'कमांद'], ['Kataula Bazar', 'कटौला बाजार'], ['Bhadrota', 'भड़ोता'], ['Mandap', 'मंडप'], ['Riur', 'रियूर'],
  ['Sakrohi', 'सकरोही'], ['Tanda', 'टांडा'], ['Behna', 'बैहना'], ['Sidhyani', 'सिध्याणी'], ['Pali', 'पाली'],
  ['Dhawal', 'धवाल'], ['Saklana', 'सकलाना'], ['Ghiri', 'घिरी'], ['Khaliar', 'खलियार'], ['Bir', 'बीड़'],
];
export const MANDI_SUFFIX: Named[] = [['', ''], [' Kalan', ' कलां'], [' Khurd', ' खुर्द'], [' Upper', ' ऊपरी'], [' Lower', ' निचला']];

export const PATNA_PLACES: Named[] = [
  ['Phulwari Sharif', 'फुलवारी शरीफ'], ['Danapur', 'दानापुर'], ['Masaurhi', 'मसौढ़ी'], ['Barh', 'बाढ़'], ['Bakhtiyarpur', 'बख्तियारपुर'],
  ['Bihta', 'बिहटा'], ['Paliganj', 'पालीगंज'], ['Fatuha', 'फतुहा'], ['Naubatpur', 'नौबतपुर'], ['Maner', 'मनेर'],
  ['Punpun', 'पुनपुन'], ['Mokama', 'मोकामा'], ['Dhanarua', 'धनरुआ'], ['Sampatchak', 'संपतचक'], ['Athmalgola', 'अथमलगोला'],
];
