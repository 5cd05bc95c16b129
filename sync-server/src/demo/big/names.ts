// Name and class lists for the generated school, roughly most common first (the generator
// draws them with Zipf-like weights, so "Kamau" and "Mary" are frequent and "Zoë" is rare).
// A child’s first_name is one given name, often followed by a second of the same list.

export const GIVEN_FEMALE = [
  'Mary', 'Faith', 'Mercy', 'Grace', 'Joy', 'Esther', 'Ann', 'Elizabeth', 'Purity', 'Sharon',
  'Caroline', 'Lucy', 'Winnie', 'Diana', 'Naomi', 'Cynthia', 'Ruth', 'Jane', 'Nancy', 'Sarah',
  'Beatrice', 'Janet', 'Rose', 'Susan', 'Irene', 'Amina', 'Fatuma', 'Halima', 'Zainab', 'Mariam',
  'Brenda', 'Catherine', 'Lilian', 'Edith', 'Gladys', 'Christine', 'Margaret', 'Agnes', 'Maureen', 'Phoebe',
  'Stacy', 'Vivian', 'Teresia', 'Josephine', 'Eunice', 'Tabitha', 'Hellen', 'Damaris', 'Millicent', 'Pauline',
  'Achieng', 'Akinyi', 'Atieno', 'Adhiambo', 'Anyango', 'Wanjiru', 'Wambui', 'Nyambura', 'Wanjiku', 'Njeri',
  'Chebet', 'Jepkosgei', 'Jeruto', 'Chepkoech', 'Jemutai', 'Mwikali', 'Ndinda', 'Mumbua', 'Nafula', 'Nekesa',
  'Kwamboka', 'Nyaboke', 'Moraa', 'Kerubo', 'Makena', 'Kendi', 'Gatwiri', 'Kinya', 'Neema', 'Zawadi',
  'Furaha', 'Rehema', 'Pendo', 'Nia', 'Zuri', 'Talia', 'Keziah', 'Abigail', 'Imani', 'Bahati',
  'Zoë', 'Renée', 'Chloé', 'Béatrice', 'Anaïs', 'Zoé',
];

export const GIVEN_MALE = [
  'John', 'Brian', 'Kevin', 'Dennis', 'Peter', 'Samuel', 'David', 'Daniel', 'Joseph', 'James',
  'Collins', 'Stephen', 'Victor', 'Emmanuel', 'Paul', 'Ian', 'Felix', 'George', 'Moses', 'Eric',
  'Francis', 'Charles', 'Michael', 'Patrick', 'Martin', 'Mohamed', 'Hassan', 'Ali', 'Abdi', 'Omar',
  'Evans', 'Kelvin', 'Gideon', 'Alex', 'Anthony', 'Duncan', 'Isaac', 'Josphat', 'Wycliffe', 'Nelson',
  'Allan', 'Edwin', 'Geoffrey', 'Kennedy', 'Benson', 'Cyrus', 'Harrison', 'Job', 'Elijah', 'Abel',
  'Otieno', 'Odhiambo', 'Ochieng', 'Omondi', 'Onyango', 'Kamau', 'Njoroge', 'Kariuki', 'Mwangi', 'Maina',
  'Kiprono', 'Kipchoge', 'Kibet', 'Kiptoo', 'Cheruiyot', 'Mutua', 'Musyoka', 'Kioko', 'Wafula', 'Barasa',
  'Ombati', 'Mutuma', 'Baraka', 'Tumaini', 'Amani', 'Ayaan', 'Liam', 'Ethan', 'Jayden', 'Nathan',
  'José', 'Noël',
];

export const FAMILY_NAMES = [
  'Kamau', 'Otieno', 'Mwangi', 'Odhiambo', 'Wanjiru', 'Ochieng', 'Njoroge', 'Onyango', 'Kariuki', 'Omondi',
  'Mutua', 'Wafula', 'Kiprono', 'Cheruiyot', 'Maina', 'Njeri', 'Kimani', 'Owino', 'Githinji', 'Macharia',
  'Kiptoo', 'Wambua', 'Barasa', 'Juma', 'Mohamed', 'Achieng', 'Wekesa', 'Musyoka', 'Kibet', 'Korir',
  'Kipkemboi', 'Chebet', 'Nyambura', 'Gitau', 'Waweru', 'Ndungu', 'Oduor', 'Okoth', 'Ouma', 'Wanyama',
  'Simiyu', 'Nyaga', 'Muriuki', 'Kinyua', 'Mugo', 'Ngugi', 'Kiarie', 'Ruto', 'Langat', 'Rotich',
  'Kosgei', 'Kirui', 'Mutai', 'Koech', 'Kemboi', 'Tanui', 'Sang', 'Bett', 'Yego', 'Too',
  'Ali', 'Hassan', 'Abdi', 'Omar', 'Farah', 'Hussein', 'Ahmed', 'Ibrahim', 'Salim', 'Bakari',
  'Mwakio', 'Mwadime', 'Kazungu', 'Karisa', 'Charo', 'Baya', 'Katana', 'Kahindi', 'Shida', 'Mwangala',
  'Ombati', 'Nyakundi', 'Moraa', 'Onsongo', 'Mogaka', 'Nyamweya', 'Ondieki', 'Momanyi', 'Kerubo', 'Omwenga',
  'Mutiso', 'Kioko', 'Muthoka', 'Nzioka', 'Mulwa', 'Kilonzo', 'Muema', 'Nthenge', 'Munyao', 'Kyalo',
  'Nafula', 'Wanjala', 'Masinde', 'Makokha', 'Shikuku', 'Lumumba', 'Were', 'Okumu', 'Opiyo', 'Oloo',
  'Kirimi', 'Mutuma', 'Gitonga', 'Murithi', 'Kaimenyi', 'Mwiti', 'Kinoti', 'Koome', 'Muthomi', 'Kiambati',
  'Wairimu', 'Wangari', 'Wambui', 'Nduta', 'Muthoni', 'Wangui', 'Njambi', 'Nyokabi', 'Wanjiku', 'Waithera',
  'Ochola', 'Odongo', 'Okello', 'Obuya', 'Awino', 'Adongo', 'Akello', 'Anyango', 'Auma', 'Nyongesa',
  'Chepkemoi', 'Jepchirchir', 'Kiplagat', 'Kipruto', 'Kiptanui', 'Cherono', 'Jelagat', 'Kiprotich', 'Kimutai', 'Biwott',
  'Mbugua', 'Kuria', 'Ngari', 'Gathogo', 'Kamande', 'Karanja', 'Mbuthia', 'Irungu', 'Gachanja', 'Thuo',
  'Abdullahi', 'Noor', 'Aden', 'Dahir', 'Osman', 'Warsame', 'Yusuf', 'Shariff', 'Mahmoud', 'Khamis',
  'Patel', 'Shah', 'Mehta', 'Otunga', 'Oyugi', 'Ongeri', 'Mboya', 'Odinga', 'Nyerere', 'Kenyatta',
  'Mwaura', 'Kinuthia', 'Njuguna', 'Kagwe', 'Wachira', 'Muriithi', 'Gikonyo', 'Kabiru', 'Ndirangu', 'Mathenge',
  'Mwendwa', 'Kavata', 'Musembi', 'Ndolo', 'Kasyoka', 'Mwikali', 'Kalondu', 'Syombua', 'Ndunge', 'Mbithi',
  'Müller', 'Nöel', 'Çelik', 'Ngũgĩ', 'Wa Thiong’o', 'Mbũrũ', 'Njũguna', 'Kĩmani',
];

/** Levels from pre-primary up; lower levels are larger (the generator weights them down the list). */
export const LEVELS = ['PP1', 'PP2', 'Grade 1', 'Grade 2', 'Grade 3', 'Grade 4', 'Grade 5', 'Grade 6', 'Grade 7', 'Grade 8', 'Grade 9', 'Form 3', 'Form 4'];

export const STREAMS = [
  'East', 'West', 'North', 'South', 'Blue', 'Green', 'Red', 'Yellow', 'Lion', 'Eagle',
  'Baobab', 'Cedar', 'Acacia', 'Jacaranda', 'Kilimanjaro', 'Kenya', 'Elgon', 'Tana', 'Nile', 'Victoria',
];

export const CLERKS = ['Grace Wambui', 'Joseph Otieno', 'Fatuma Ali', 'Peter Kiprono'];
