// Name lists for the demo school: common East African given names and surnames.

export const FIRST_NAMES = [
  'Amani', 'Baraka', 'Wanjiru', 'Achieng', 'Kamau', 'Njeri', 'Otieno', 'Akinyi', 'Mwangi', 'Wambui',
  'Kiprop', 'Chebet', 'Mutua', 'Mumbua', 'Omondi', 'Adhiambo', 'Kipchoge', 'Jepkosgei', 'Nyambura', 'Wekesa',
  'Nafula', 'Juma', 'Zawadi', 'Hassan', 'Fatuma', 'Brian', 'Faith', 'Kevin', 'Mercy', 'Dennis',
  'Grace', 'Collins', 'Joy', 'Victor', 'Esther', 'Ian', 'Sharon', 'Felix', 'Cynthia', 'Emmanuel',
  'Neema', 'Imani', 'Tumaini', 'Rehema', 'Salim', 'Halima', 'Daniel', 'Purity', 'Peter', 'Lucy',
];

export const LAST_NAMES = [
  'Kamau', 'Otieno', 'Mwangi', 'Wanjiku', 'Kiprotich', 'Ochieng', 'Mutiso', 'Njoroge', 'Odhiambo', 'Kariuki',
  'Chepkoech', 'Wafula', 'Mohamed', 'Omondi', 'Mbugua', 'Kiptoo', 'Nyaga', 'Owino', 'Maina', 'Kilonzo',
  'Gitau', 'Rotich', 'Barasa', 'Achieng', 'Ndungu', 'Korir', 'Simiyu', 'Onyango', 'Muthoni', 'Kibet',
  'Wairimu', 'Okoth', 'Macharia', 'Cherono', 'Musyoka', 'Nyamweya', 'Ali', 'Karanja', 'Langat', 'Wekesa',
];

export const CLASSES = ['Grade 1', 'Grade 2', 'Grade 3', 'Grade 4', 'Grade 5', 'Grade 6', 'Grade 7'].flatMap((g) => [`${g} A`, `${g} B`]);

/** The given names above that are usually a girl's or a woman's (the rest are boys' or men's,
 * except the few that are both): the demo's genders and guardians' names follow them. */
export const FEMALE_NAMES: ReadonlySet<string> = new Set([
  'Wanjiru', 'Achieng', 'Njeri', 'Akinyi', 'Wambui', 'Chebet', 'Mumbua', 'Adhiambo', 'Jepkosgei', 'Nyambura',
  'Nafula', 'Zawadi', 'Fatuma', 'Faith', 'Mercy', 'Grace', 'Joy', 'Esther', 'Sharon', 'Cynthia',
  'Neema', 'Rehema', 'Halima', 'Purity', 'Lucy',
]);
export const EITHER_NAMES: ReadonlySet<string> = new Set(['Amani', 'Imani', 'Tumaini']);
