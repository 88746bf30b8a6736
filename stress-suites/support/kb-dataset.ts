// The knowledge bases of five clinics and a labelled set of caller questions for them: what the
// kb-accuracy suite measures the agent's answers against. Questions are written the way callers
// phrase them (not copied from the FAQ), and each is labelled with the topic of the entry that
// answers it.

import type { KbEntryRow } from '../clinic/kb';

export interface FaqSeed {
  topic: string;
  question: string;
  answer: string;
}

export interface KbClinicSeed {
  key: string;
  name: string;
  faq: readonly FaqSeed[];
}

export interface LabelledQuestion {
  clinic: string;
  question: string;
  topic: string;
}

export const KB_CLINICS: readonly KbClinicSeed[] = [
  {
    key: 'riverside',
    name: 'Riverside Family Practice',
    faq: [
      { topic: 'hours', question: 'What are your opening hours?', answer: 'We are open Monday to Friday from 8:00 am to 6:00 pm. The front desk closes for lunch from 12:30 to 1:30 pm.' },
      { topic: 'weekend', question: 'Are you open on weekends?', answer: 'On Saturdays we run a walk-in clinic from 9:00 am to 12:00 noon. We are closed on Sundays and public holidays.' },
      { topic: 'address', question: 'Where is the practice located?', answer: 'Riverside Family Practice is at 1420 River Road, Suite 200, Springfield, on the second floor above the pharmacy, across from the public library.' },
      { topic: 'parking', question: 'Is there parking?', answer: 'Free patient parking is available in the lot behind the building. Reception validates tickets for the garage on Elm Street.' },
      { topic: 'insurance', question: 'Which insurance plans do you accept?', answer: 'We accept Aetna, Cigna, UnitedHealthcare, Medicare and Medicaid. Bring your insurance card to every visit.' },
      { topic: 'cost', question: 'How much does a visit cost without insurance?', answer: 'A standard self-pay office visit is $120 and a physical exam is $180. Payment is due at the time of the visit; we take cards and cash.' },
      { topic: 'new-patients', question: 'Are you accepting new patients?', answer: 'Yes, we are accepting new patients. Please arrive 15 minutes early to complete registration forms and bring a photo ID.' },
      { topic: 'cancellation', question: 'What is your cancellation policy?', answer: 'Please cancel or reschedule at least 24 hours before your appointment. Late cancellations and missed appointments are charged a $40 fee.' },
      { topic: 'preparation', question: 'How should I prepare for my blood test?', answer: 'For fasting blood work, do not eat or drink anything except water for 10 to 12 hours before your lab appointment. Take your usual medications unless told otherwise.' },
      { topic: 'virtual', question: 'Do you offer telehealth appointments?', answer: 'Yes, video visits are available for follow-ups and minor concerns. You will receive a secure link by text message 10 minutes before the visit.' },
      { topic: 'prescriptions', question: 'How do I get a prescription refill?', answer: 'Request refills through the patient portal or ask your pharmacy to send us a request. Allow two business days for refills to be processed.' },
      { topic: 'records', question: 'How can I get a copy of my medical records?', answer: 'Submit a signed records release form at the front desk or through the portal. Copies are ready within 5 business days.' },
      { topic: 'emergency', question: 'What should I do in an emergency or after hours?', answer: 'For a medical emergency call 911. After hours, call our main number and choose option 2 to reach the on-call doctor.' },
    ],
  },
  {
    key: 'harbor',
    name: 'Harbor Dental Care',
    faq: [
      { topic: 'hours', question: 'What are your hours?', answer: 'Our hours are Monday through Thursday 7:30 am to 5:00 pm and Friday 7:30 am to 1:00 pm.' },
      { topic: 'weekend', question: 'Do you see patients on weekends?', answer: 'We see patients one Saturday a month from 8:00 am to 2:00 pm; call to check the next date. We are closed Sundays.' },
      { topic: 'address', question: 'Where is the office?', answer: 'We are at 88 Harbor Street, Bayport, in the blue building next to the ferry terminal.' },
      { topic: 'parking', question: 'Where can I park?', answer: 'Street parking is metered. The Harbor Street garage offers two hours free with validation from our front desk.' },
      { topic: 'insurance', question: 'Which dental insurance do you take?', answer: 'We are in network with Delta Dental, MetLife, Guardian and Cigna Dental. We file claims for you and estimate your share before treatment.' },
      { topic: 'cost', question: 'How much does a cleaning cost without insurance?', answer: 'A cleaning and exam costs $150 without insurance and X-rays are $60. We also offer a membership program for $29 a month.' },
      { topic: 'new-patients', question: 'Are you taking new patients?', answer: 'New patients are welcome. Your first visit includes an exam, a cleaning and full X-rays and takes about 90 minutes.' },
      { topic: 'cancellation', question: 'What is the cancellation policy?', answer: 'We ask for 48 hours notice to cancel or change an appointment. A $50 fee applies to missed appointments.' },
      { topic: 'whitening', question: 'Do you offer teeth whitening?', answer: 'Yes, we offer in-office whitening in one 90-minute session for $350, and take-home whitening trays for $200.' },
      { topic: 'children', question: 'Do you see children?', answer: 'We see children from age 3. Parents are welcome to stay in the room during the visit.' },
      { topic: 'emergency', question: 'What if I have a dental emergency?', answer: 'For a broken tooth, swelling or severe toothache, call us first thing: we keep same-day emergency slots every morning. After hours, leave a message on the emergency line and the dentist on call will ring you back.' },
      { topic: 'preparation', question: 'How do I prepare for a tooth extraction?', answer: 'Eat a light meal beforehand unless you are having sedation, in which case nothing to eat for 6 hours. Arrange a ride home if you are sedated.' },
      { topic: 'sedation', question: 'Do you offer sedation for anxious patients?', answer: 'We offer nitrous oxide (laughing gas) and oral sedation for nervous patients. Let us know when booking so we can allow extra time.' },
    ],
  },
  {
    key: 'northgate',
    name: 'Northgate Physiotherapy',
    faq: [
      { topic: 'hours', question: 'What are your hours?', answer: 'We are open Monday to Friday from 7:00 am to 8:00 pm.' },
      { topic: 'weekend', question: 'Are you open on the weekend?', answer: 'Saturday appointments run from 8:00 am to 1:00 pm. We are closed on Sunday.' },
      { topic: 'address', question: 'Where are you located?', answer: 'Northgate Physiotherapy is in the Northgate Mall, Unit 14, ground floor, entrance C, next to the gym.' },
      { topic: 'parking', question: 'Is there parking?', answer: 'The mall car park is free for the first three hours. Use the entrance C lot closest to us.' },
      { topic: 'insurance', question: 'Do you bill insurance directly?', answer: 'We direct bill Blue Cross, Sun Life and Manulife. Workplace injury and motor vehicle accident claims are also accepted.' },
      { topic: 'cost', question: 'How much does physiotherapy cost?', answer: 'An initial assessment is $110 and follow-up treatments are $85. Receipts are provided for your insurer.' },
      { topic: 'referral', question: "Do I need a doctor's referral?", answer: 'No referral is needed to see a physiotherapist, but some insurance plans require one for reimbursement.' },
      { topic: 'first-visit', question: 'What happens at the first appointment?', answer: 'Your first appointment is a 60-minute assessment of your movement, strength and pain, followed by a treatment program and exercises to start at home.' },
      { topic: 'clothing', question: 'What should I wear?', answer: 'Wear loose, comfortable clothing such as shorts and a t-shirt so the physiotherapist can assess the injured area. Bring running shoes.' },
      { topic: 'cancellation', question: 'What is your cancellation policy?', answer: 'Cancel at least 24 hours in advance to avoid a $45 late cancellation charge.' },
      { topic: 'virtual', question: 'Do you offer virtual sessions?', answer: 'Virtual physiotherapy sessions by video are available for exercise reviews and follow-ups.' },
      { topic: 'services', question: 'What conditions do you treat?', answer: 'We treat back and neck pain, sports injuries, post-surgery rehab, sprains, arthritis and headaches. We also offer acupuncture and massage therapy.' },
      { topic: 'accessibility', question: 'Is the clinic wheelchair accessible?', answer: 'Yes, entrance C has automatic doors and a ramp, and all treatment rooms are on the ground floor.' },
    ],
  },
  {
    key: 'lakeview',
    name: 'Lakeview Pediatrics',
    faq: [
      { topic: 'hours', question: 'What are your office hours?', answer: 'Office hours are Monday to Friday 8:30 am to 5:30 pm, with evening hours until 7:00 pm on Tuesdays.' },
      { topic: 'weekend', question: 'Are you open on weekends?', answer: 'We hold sick-child clinics on Saturday and Sunday mornings from 9:00 to 11:00 am by appointment.' },
      { topic: 'address', question: 'What is your address?', answer: 'We are at 300 Lakeview Avenue, Building B, Lakeside, across from Lakeview Elementary School.' },
      { topic: 'parking', question: 'Where can we park?', answer: 'Free parking is available right in front of Building B, including spaces reserved for families with strollers.' },
      { topic: 'insurance', question: 'What insurance do you accept?', answer: "We accept most plans including Blue Cross Blue Shield, Aetna, Kaiser and CHIP. Please update your child's insurance information at each visit." },
      { topic: 'vaccines', question: 'What vaccines does my child need?', answer: "We follow the CDC immunization schedule: vaccines are given at the 2, 4, 6, 12, 15 and 18 month well visits and at 4 to 6 years. Bring your child's vaccination record." },
      { topic: 'newborn', question: "When should my newborn's first visit be?", answer: 'Newborns should be seen 3 to 5 days after leaving the hospital, then at 1 month and 2 months.' },
      { topic: 'sick-visits', question: 'Can I get a same-day sick visit?', answer: 'Yes, call before 9:00 am and we will fit in a same-day appointment for children with fever, ear pain, rashes or coughs.' },
      { topic: 'new-patients', question: 'Are you accepting new patients?', answer: 'We welcome new families. Schedule a free meet-and-greet with one of our pediatricians before your baby is born.' },
      { topic: 'forms', question: 'Can you fill out school or camp forms?', answer: 'School, sports and camp forms are completed within 3 business days. Drop them off or upload them in the portal; there is no charge at a well visit.' },
      { topic: 'after-hours', question: 'What do I do after hours?', answer: 'Our nurse advice line answers 24 hours a day at the main number. For emergencies call 911 or go to the nearest emergency room.' },
      { topic: 'cancellation', question: 'How do I cancel?', answer: 'Please give 24 hours notice if you need to cancel. Three missed appointments in a year may lead to discharge from the practice.' },
    ],
  },
  {
    key: 'summit',
    name: 'Summit Imaging Center',
    faq: [
      { topic: 'hours', question: 'What are your hours?', answer: 'We are open Monday to Friday 7:00 am to 9:00 pm for scheduled scans. Walk-in X-rays are available until 6:00 pm.' },
      { topic: 'weekend', question: 'Are you open on weekends?', answer: 'MRI and CT appointments are available on Saturdays and Sundays from 8:00 am to 4:00 pm.' },
      { topic: 'address', question: 'Where are you located?', answer: 'Summit Imaging Center is at 5 Summit Plaza, Level 1, Hilltop, inside the medical office tower beside the hospital.' },
      { topic: 'parking', question: 'Where do I park?', answer: 'Use the visitor garage under the medical tower; imaging patients park free with a validated ticket.' },
      { topic: 'insurance', question: 'Which insurance do you accept?', answer: 'We accept Medicare, Aetna, Humana, Cigna and UnitedHealthcare. Many scans need prior authorization from your insurance, which we request for you.' },
      { topic: 'cost', question: 'What are your self-pay prices?', answer: 'Self-pay prices: X-ray from $75, ultrasound $250, CT $450, MRI $600. Ask about our cash discount.' },
      { topic: 'mri-prep', question: 'How do I prepare for an MRI?', answer: 'Remove all metal objects, jewelry and hearing aids before your MRI. Tell us about pacemakers, implants or metal fragments. You can eat and drink normally unless your scan includes the abdomen.' },
      { topic: 'ct-prep', question: 'How should I prepare for a CT scan with contrast?', answer: 'Do not eat for 4 hours before a CT with contrast, but keep drinking water. We need a recent kidney function blood test if you are over 60 or diabetic.' },
      { topic: 'ultrasound-prep', question: 'How do I prepare for an abdominal or pelvic ultrasound?', answer: 'For an abdominal ultrasound, fast for 8 hours. For a pelvic ultrasound, drink 32 ounces of water one hour before and do not empty your bladder.' },
      { topic: 'results', question: 'When will I get my results?', answer: 'A radiologist reads your images within 24 hours and sends the report to your doctor. You can view the report in the patient portal after 3 days.' },
      { topic: 'referral', question: 'Do I need a referral or order from my doctor?', answer: 'Yes, every scan needs a signed order from your doctor or specialist. Walk-in X-rays need the order in hand.' },
      { topic: 'pregnancy', question: 'Can I have an X-ray if I might be pregnant?', answer: 'Tell the technologist if you are or might be pregnant. We avoid X-rays and CT during pregnancy when possible and may use ultrasound or MRI instead.' },
      { topic: 'claustrophobia', question: 'What if I am claustrophobic in the MRI?', answer: 'Our wide-bore MRI is more open and less confining. Your doctor can prescribe a mild sedative; bring someone to drive you home.' },
    ],
  },
];

const q = (clinic: string, topic: string, question: string): LabelledQuestion => ({ clinic, question, topic });

export const LABELLED_QUESTIONS: readonly LabelledQuestion[] = [
  q('riverside', 'hours', 'what time do you open in the morning'),
  q('riverside', 'hours', 'When do you close today?'),
  q('riverside', 'weekend', 'are you guys open on saturday?'),
  q('riverside', 'weekend', 'Can I come in on a Sunday?'),
  q('riverside', 'address', "what's your address"),
  q('riverside', 'address', 'Which road is the practice on?'),
  q('riverside', 'parking', 'where can I leave my car'),
  q('riverside', 'parking', 'Is the parking free?'),
  q('riverside', 'insurance', 'Do you take Aetna?'),
  q('riverside', 'insurance', 'is Medicare accepted here'),
  q('riverside', 'cost', "how much is an office visit if I don't have insurance"),
  q('riverside', 'cost', 'What does a physical exam cost?'),
  q('riverside', 'new-patients', "I'm new, can I register as a patient?"),
  q('riverside', 'new-patients', 'are you taking on new patients right now'),
  q('riverside', 'cancellation', 'I need to cancel my appointment tomorrow, is there a fee?'),
  q('riverside', 'cancellation', 'what happens if I miss my appointment'),
  q('riverside', 'preparation', 'Can I eat before my blood work?'),
  q('riverside', 'preparation', 'do I need to fast before the lab'),
  q('riverside', 'virtual', 'can I see the doctor by video?'),
  q('riverside', 'virtual', 'Do you do virtual visits?'),
  q('riverside', 'prescriptions', "I'm running out of my medication, how do I get more"),
  q('riverside', 'prescriptions', 'can you send a refill to my pharmacy'),
  q('riverside', 'records', 'I need copies of my records for a new specialist'),
  q('riverside', 'emergency', 'who do I call after hours if it is urgent'),
  q('riverside', 'emergency', 'how do I reach the on call doctor at night'),

  q('harbor', 'hours', 'what are your hours on friday'),
  q('harbor', 'hours', 'how early do you open'),
  q('harbor', 'weekend', 'do you have saturday appointments'),
  q('harbor', 'address', 'where is the dental office'),
  q('harbor', 'address', 'is it the building near the ferry?'),
  q('harbor', 'parking', 'where should I park'),
  q('harbor', 'parking', 'do you validate for the garage'),
  q('harbor', 'insurance', 'are you in network with delta dental'),
  q('harbor', 'insurance', 'I have MetLife, is that accepted?'),
  q('harbor', 'cost', 'how much is a cleaning without insurance'),
  q('harbor', 'cost', 'what do x-rays cost'),
  q('harbor', 'new-patients', "I'm a new patient, what happens at my first visit?"),
  q('harbor', 'new-patients', 'how long is the first appointment for new patients'),
  q('harbor', 'cancellation', 'how much notice do you need to cancel'),
  q('harbor', 'cancellation', 'is there a fee for a missed appointment'),
  q('harbor', 'whitening', 'can you make my teeth whiter'),
  q('harbor', 'whitening', 'how much is whitening'),
  q('harbor', 'children', 'do you treat kids?'),
  q('harbor', 'children', 'what age do you start seeing children'),
  q('harbor', 'emergency', 'I broke a tooth and it really hurts'),
  q('harbor', 'emergency', 'I have a terrible toothache, can you see me today'),
  q('harbor', 'preparation', 'can I eat before having a tooth pulled'),
  q('harbor', 'preparation', 'what should I do before my extraction'),
  q('harbor', 'sedation', 'I get really nervous at the dentist'),
  q('harbor', 'sedation', 'do you have laughing gas'),

  q('northgate', 'hours', 'how late are you open'),
  q('northgate', 'hours', 'what time do you close on weekdays'),
  q('northgate', 'weekend', 'can I book on a saturday'),
  q('northgate', 'weekend', 'are you open sunday'),
  q('northgate', 'address', 'which entrance of the mall are you at'),
  q('northgate', 'address', 'where are you in the mall'),
  q('northgate', 'parking', 'do I have to pay to park'),
  q('northgate', 'parking', 'is there free parking'),
  q('northgate', 'insurance', 'do you bill blue cross directly'),
  q('northgate', 'insurance', 'I was in a motor vehicle accident, can you bill my claim'),
  q('northgate', 'cost', 'how much is the initial assessment'),
  q('northgate', 'cost', 'what do follow up treatments cost'),
  q('northgate', 'referral', 'do I need to see my family doctor first'),
  q('northgate', 'referral', 'is a referral required'),
  q('northgate', 'first-visit', 'what will happen at my first appointment'),
  q('northgate', 'first-visit', 'what do you do at the first session'),
  q('northgate', 'clothing', 'what clothes should I wear'),
  q('northgate', 'clothing', 'should I wear shorts'),
  q('northgate', 'cancellation', 'how far in advance do I have to cancel'),
  q('northgate', 'cancellation', 'do you charge for late cancellations'),
  q('northgate', 'virtual', 'can I do physio online'),
  q('northgate', 'services', 'do you treat sports injuries'),
  q('northgate', 'services', 'can you help with my back pain'),
  q('northgate', 'services', 'do you do massage'),
  q('northgate', 'accessibility', 'I use a wheelchair, can I get in'),

  q('lakeview', 'hours', 'what time does the office open'),
  q('lakeview', 'hours', 'are you open late any evenings'),
  q('lakeview', 'weekend', 'is anyone there on saturday morning'),
  q('lakeview', 'weekend', 'do you have sunday hours'),
  q('lakeview', 'address', 'what is the address'),
  q('lakeview', 'address', 'is the office across from the elementary school'),
  q('lakeview', 'parking', 'is there room to park with a stroller'),
  q('lakeview', 'parking', 'where do we park'),
  q('lakeview', 'insurance', 'do you accept CHIP'),
  q('lakeview', 'insurance', 'we have Kaiser, are we covered'),
  q('lakeview', 'vaccines', 'which vaccines does my baby need'),
  q('lakeview', 'vaccines', 'when are the vaccinations given'),
  q('lakeview', 'newborn', 'when should we bring our newborn in'),
  q('lakeview', 'newborn', 'we just left the hospital with our baby, when is the first checkup'),
  q('lakeview', 'sick-visits', 'my son has a fever, can he be seen today'),
  q('lakeview', 'sick-visits', 'can I get a same day appointment for ear pain'),
  q('lakeview', 'new-patients', 'are you accepting new families'),
  q('lakeview', 'new-patients', 'can we meet the pediatrician before the baby is born'),
  q('lakeview', 'forms', 'can you fill out a sports form'),
  q('lakeview', 'forms', 'how long does it take to complete camp forms'),
  q('lakeview', 'after-hours', 'is there a nurse I can talk to after hours'),
  q('lakeview', 'after-hours', 'who answers the advice line at night'),
  q('lakeview', 'cancellation', 'how do I cancel an appointment'),
  q('lakeview', 'cancellation', 'what happens if we miss appointments'),
  q('lakeview', 'vaccines', 'do you follow the CDC schedule'),

  q('summit', 'hours', 'how late are you open for scans'),
  q('summit', 'hours', 'until what time can I walk in for an x-ray'),
  q('summit', 'weekend', 'can I get an MRI on the weekend'),
  q('summit', 'weekend', 'are you open on sunday'),
  q('summit', 'address', 'where is summit imaging'),
  q('summit', 'address', 'which level of the medical tower are you on'),
  q('summit', 'parking', 'where do I park for my scan'),
  q('summit', 'parking', 'is parking validated'),
  q('summit', 'insurance', 'do you take humana'),
  q('summit', 'insurance', 'do I need prior authorization from my insurance'),
  q('summit', 'cost', 'how much is an MRI if I pay cash'),
  q('summit', 'cost', 'what is the self pay price for an ultrasound'),
  q('summit', 'mri-prep', 'can I wear my jewelry in the MRI'),
  q('summit', 'mri-prep', 'I have a pacemaker, can I have an MRI'),
  q('summit', 'ct-prep', 'can I eat before my CT scan'),
  q('summit', 'ct-prep', 'do I need a blood test before contrast'),
  q('summit', 'ultrasound-prep', 'how much water should I drink before my pelvic ultrasound'),
  q('summit', 'ultrasound-prep', 'should I fast before an abdominal ultrasound'),
  q('summit', 'results', 'when will my doctor get the report'),
  q('summit', 'results', 'how long until I see my results'),
  q('summit', 'referral', 'do I need an order from my doctor'),
  q('summit', 'referral', 'can I walk in without a referral'),
  q('summit', 'pregnancy', 'I might be pregnant, is an x-ray safe'),
  q('summit', 'claustrophobia', 'I get anxious in tight spaces, is the MRI open'),
  q('summit', 'claustrophobia', 'can I get a sedative for my MRI'),
];

/** The stored rows of a clinic's knowledge base: ids are `<clinicId>:<topic>`. */
export function kbRows(clinicId: string, seed: KbClinicSeed): KbEntryRow[] {
  return seed.faq.map((f) => ({ id: `${clinicId}:${f.topic}`, clinic_id: clinicId, topic: f.topic, question: f.question, answer: f.answer }));
}

export function kbClinic(key: string): KbClinicSeed {
  const found = KB_CLINICS.find((c) => c.key === key);
  if (!found) throw new Error(`no knowledge base for ${key}`);
  return found;
}
