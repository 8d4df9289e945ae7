"""The first synonym list: common lay <-> clinical pairs (moderators edit it in the admin afterwards).

Each line is "lay words | clinical words"; a search for either side also finds the other. Reversing removes
only these pairs, as seeded (moderators' own pairs stay).
"""

from django.db import migrations

PAIRS = """
heart attack | myocardial infarction
heart attack | mi
high blood pressure | hypertension
low blood pressure | hypotension
can't sleep | insomnia
cannot sleep | insomnia
trouble sleeping | insomnia
sleeplessness | insomnia
stroke | cerebrovascular accident
mini stroke | transient ischemic attack
mini stroke | tia
high cholesterol | hypercholesterolemia
high blood sugar | hyperglycemia
low blood sugar | hypoglycemia
sugar diabetes | diabetes mellitus
type 2 diabetes | t2d
type 1 diabetes | t1d
underactive thyroid | hypothyroidism
overactive thyroid | hyperthyroidism
goitre | thyroid enlargement
heartburn | gastroesophageal reflux
heartburn | gerd
acid reflux | gastroesophageal reflux disease
acid reflux | gerd
indigestion | dyspepsia
stomach ache | abdominal pain
tummy ache | abdominal pain
belly pain | abdominal pain
stomach flu | gastroenteritis
food poisoning | gastroenteritis
feeling sick | nausea
throwing up | vomiting
being sick | vomiting
loose stools | diarrhea
diarrhoea | diarrhea
can't poo | constipation
hard stools | constipation
piles | hemorrhoids
piles | haemorrhoids
gas | flatulence
burping | belching
bloated | abdominal distension
bloating | abdominal distension
stomach ulcer | peptic ulcer
ibs | irritable bowel syndrome
crohns | crohn's disease
colitis | ulcerative colitis
gallstones | cholelithiasis
kidney stones | nephrolithiasis
kidney stones | renal calculi
kidney disease | renal disease
kidney failure | renal failure
bladder infection | cystitis
water infection | urinary tract infection
water infection | uti
urine infection | urinary tract infection
peeing a lot | polyuria
frequent urination | polyuria
leaking urine | urinary incontinence
bladder leaks | urinary incontinence
bedwetting | nocturnal enuresis
peeing at night | nocturia
enlarged prostate | benign prostatic hyperplasia
enlarged prostate | bph
impotence | erectile dysfunction
no periods | amenorrhea
missed period | amenorrhea
painful periods | dysmenorrhea
period pain | dysmenorrhea
heavy periods | menorrhagia
change of life | menopause
hot flushes | vasomotor symptoms
hot flashes | vasomotor symptoms
pcos | polycystic ovary syndrome
morning sickness | nausea and vomiting of pregnancy
miscarriage | spontaneous abortion
pregnancy diabetes | gestational diabetes
baby blues | postpartum depression
postnatal depression | postpartum depression
thrush | candidiasis
yeast infection | candidiasis
stds | sexually transmitted infections
std | sti
the pill | oral contraceptive
morning after pill | emergency contraception
short of breath | dyspnea
shortness of breath | dyspnea
breathlessness | dyspnea
out of breath | dyspnea
wheezing | bronchospasm
asthma attack | asthma exacerbation
copd | chronic obstructive pulmonary disease
emphysema | copd
chest infection | lower respiratory tract infection
chest infection | bronchitis
lung infection | pneumonia
common cold | upper respiratory tract infection
runny nose | rhinorrhea
blocked nose | nasal congestion
stuffy nose | nasal congestion
hay fever | allergic rhinitis
sinus infection | sinusitis
sore throat | pharyngitis
tonsil infection | tonsillitis
strep throat | streptococcal pharyngitis
lost voice | laryngitis
nosebleed | epistaxis
coughing up blood | hemoptysis
whooping cough | pertussis
flu | influenza
covid | covid-19
covid | sars-cov-2
tb | tuberculosis
snoring | sleep-disordered breathing
stopping breathing in sleep | sleep apnea
sleep apnoea | sleep apnea
sleepwalking | somnambulism
tiredness | fatigue
always tired | fatigue
exhaustion | fatigue
chronic fatigue | myalgic encephalomyelitis
fainting | syncope
passing out | syncope
blackout | syncope
dizziness | vertigo
dizzy | vertigo
room spinning | vertigo
lightheaded | presyncope
ringing in the ears | tinnitus
ringing ears | tinnitus
hearing loss | deafness
glue ear | otitis media with effusion
ear infection | otitis media
swimmer's ear | otitis externa
earwax | cerumen
pink eye | conjunctivitis
red eye | conjunctivitis
lazy eye | amblyopia
squint | strabismus
cross-eyed | strabismus
short sighted | myopia
nearsighted | myopia
long sighted | hyperopia
farsighted | hyperopia
cloudy lens | cataract
eye pressure | glaucoma
dry eyes | keratoconjunctivitis sicca
stye | hordeolum
floaters | vitreous opacities
eyelid twitch | myokymia
macular degeneration | amd
headache | cephalalgia
migraine | migraine headache
tension headache | tension-type headache
fits | seizures
fits | epilepsy
seizure | convulsion
memory loss | amnesia
dementia | major neurocognitive disorder
alzheimers | alzheimer's disease
shaking | tremor
shaky hands | tremor
parkinsons | parkinson's disease
ms | multiple sclerosis
pins and needles | paresthesia
tingling | paresthesia
numbness | hypoesthesia
trapped nerve | nerve compression
sciatica | lumbar radiculopathy
carpal tunnel | carpal tunnel syndrome
bell's palsy | facial nerve palsy
face drooping | facial palsy
restless legs | restless legs syndrome
restless legs | willis-ekbom disease
concussion | mild traumatic brain injury
back pain | dorsalgia
lower back pain | lumbago
low back pain | lumbago
neck pain | cervicalgia
slipped disc | herniated disc
slipped disc | disc prolapse
wear and tear arthritis | osteoarthritis
joint pain | arthralgia
muscle pain | myalgia
muscle aches | myalgia
stiff joints | joint stiffness
brittle bones | osteoporosis
thinning bones | osteopenia
rheumatoid | rheumatoid arthritis
gout | hyperuricemia
frozen shoulder | adhesive capsulitis
tennis elbow | lateral epicondylitis
golfer's elbow | medial epicondylitis
shin splints | medial tibial stress syndrome
heel pain | plantar fasciitis
flat feet | pes planus
bunion | hallux valgus
broken bone | fracture
sprained ankle | ankle sprain
torn ligament | ligament rupture
cramp | muscle spasm
cramps | muscle spasms
curved spine | scoliosis
hunchback | kyphosis
fibro | fibromyalgia
lupus | systemic lupus erythematosus
water retention | edema
swollen ankles | peripheral edema
swelling | edema
oedema | edema
varicose veins | venous insufficiency
blood clot | thrombosis
clot in the leg | deep vein thrombosis
blood clot in leg | dvt
clot in the lung | pulmonary embolism
racing heart | tachycardia
fast heartbeat | tachycardia
slow heartbeat | bradycardia
irregular heartbeat | arrhythmia
fluttering heart | palpitations
heart flutter | atrial flutter
afib | atrial fibrillation
chest pain | angina
heart failure | congestive heart failure
heart murmur | cardiac murmur
hardening of the arteries | atherosclerosis
clogged arteries | coronary artery disease
hole in the heart | septal defect
poor circulation | peripheral arterial disease
cold hands | raynaud's phenomenon
anaemia | anemia
low iron | iron deficiency
low iron | iron deficiency anemia
bruising easily | easy bruising
blood thinners | anticoagulants
blood cancer | leukemia
lump | mass
swollen glands | lymphadenopathy
swollen lymph nodes | lymphadenopathy
skin cancer | melanoma
mole | nevus
eczema | atopic dermatitis
dermatitis | eczema
psoriasis | plaque psoriasis
acne | acne vulgaris
spots | acne
pimples | acne
rosacea | acne rosacea
hives | urticaria
nettle rash | urticaria
rash | exanthem
itching | pruritus
itchy skin | pruritus
dandruff | seborrheic dermatitis
cradle cap | infantile seborrheic dermatitis
hair loss | alopecia
baldness | androgenetic alopecia
excessive sweating | hyperhidrosis
sweating a lot | hyperhidrosis
night sweats | nocturnal hyperhidrosis
cold sore | herpes labialis
shingles | herpes zoster
chickenpox | varicella
warts | verrucae
verruca | plantar wart
athlete's foot | tinea pedis
ringworm | tinea
fungal nail | onychomycosis
ingrown toenail | onychocryptosis
boil | furuncle
impetigo | bacterial skin infection
scabies | sarcoptes scabiei
head lice | pediculosis
bed sores | pressure ulcers
sunburn | solar erythema
birthmark | hemangioma
vitiligo | depigmentation
blisters | bullae
depression | major depressive disorder
feeling down | low mood
feeling low | depression
sadness | low mood
anxiety | generalized anxiety disorder
worrying | anxiety
panic attack | panic disorder
panic attacks | panic disorder
nerves | anxiety
stress | psychological stress
burnout | occupational burnout
ocd | obsessive compulsive disorder
ptsd | post-traumatic stress disorder
trauma | post-traumatic stress disorder
manic depression | bipolar disorder
bipolar | bipolar disorder
mood swings | mood lability
adhd | attention deficit hyperactivity disorder
autism | autism spectrum disorder
asd | autism spectrum disorder
eating disorder | anorexia nervosa
anorexia | anorexia nervosa
bulimia | bulimia nervosa
binge eating | binge eating disorder
self harm | self-injury
suicidal thoughts | suicidal ideation
hearing voices | auditory hallucinations
seeing things | visual hallucinations
paranoia | paranoid ideation
schizophrenia | psychosis
phobia | specific phobia
fear of crowds | agoraphobia
social anxiety | social phobia
seasonal depression | seasonal affective disorder
winter blues | seasonal affective disorder
sad | seasonal affective disorder
grief | bereavement
talking therapy | psychotherapy
talk therapy | cognitive behavioral therapy
cbt | cognitive behavioral therapy
antidepressants | ssris
addiction | substance use disorder
alcoholism | alcohol use disorder
drinking problem | alcohol use disorder
smoking | tobacco use
quitting smoking | smoking cessation
withdrawal | withdrawal syndrome
overweight | obesity
being fat | obesity
bmi | body mass index
weight loss | weight reduction
losing weight | weight loss
underweight | low body weight
vitamin d deficiency | hypovitaminosis d
vitamin b12 deficiency | pernicious anemia
low potassium | hypokalemia
high potassium | hyperkalemia
low sodium | hyponatremia
dehydration | hypovolemia
coeliac | celiac disease
gluten intolerance | celiac disease
lactose intolerance | lactase deficiency
food allergy | food hypersensitivity
nut allergy | peanut allergy
severe allergic reaction | anaphylaxis
allergic shock | anaphylaxis
fatty liver | hepatic steatosis
fatty liver | nafld
liver damage | hepatitis
yellow skin | jaundice
yellowing eyes | jaundice
cirrhosis | liver fibrosis
appendix | appendicitis
hernia | inguinal hernia
hiatus hernia | hiatal hernia
bowel cancer | colorectal cancer
bowel cancer | colon cancer
breast lump | breast mass
prostate cancer | prostate carcinoma
lung cancer | lung carcinoma
cancer | malignancy
cancer | neoplasm
tumour | tumor
chemo | chemotherapy
radiotherapy | radiation therapy
scan | imaging
mri | magnetic resonance imaging
ct scan | computed tomography
ultrasound | sonography
x-ray | radiograph
blood test | blood work
ecg | electrocardiogram
ekg | electrocardiogram
smear test | cervical screening
smear test | pap smear
colonoscopy | bowel screening
check-up | health screening
jab | vaccine
jab | vaccination
flu jab | influenza vaccine
painkillers | analgesics
pain relief | analgesia
paracetamol | acetaminophen
tylenol | acetaminophen
ibuprofen | nsaid
anti-inflammatories | nsaids
aspirin | acetylsalicylic acid
water pills | diuretics
blood pressure pills | antihypertensives
sleeping pills | hypnotics
sleeping tablets | sleeping pills
antibiotics | antibacterials
steroids | corticosteroids
inhaler | bronchodilator
hrt | hormone replacement therapy
side effects | adverse effects
gp | general practitioner
family doctor | general practitioner
a&e | emergency department
keyhole surgery | laparoscopy
c-section | caesarean section
c-section | cesarean delivery
tubes tied | tubal ligation
womb | uterus
waterworks | urinary system
tummy | abdomen
stomach | abdomen
voice box | larynx
windpipe | trachea
gullet | esophagus
food pipe | esophagus
collarbone | clavicle
kneecap | patella
shin bone | tibia
thigh bone | femur
breastbone | sternum
tailbone | coccyx
shoulder blade | scapula
jaw | mandible
skull | cranium
teeth grinding | bruxism
jaw pain | temporomandibular disorder
tmj | temporomandibular joint disorder
bad breath | halitosis
gum disease | periodontitis
bleeding gums | gingivitis
tooth decay | dental caries
cavities | dental caries
mouth ulcers | aphthous ulcers
canker sores | aphthous stomatitis
dry mouth | xerostomia
trouble swallowing | dysphagia
hoarse voice | dysphonia
loss of smell | anosmia
loss of taste | ageusia
tongue tie | ankyloglossia
growing pains | benign nocturnal limb pains
colic | infant colic
nappy rash | diaper dermatitis
diaper rash | diaper dermatitis
teething | tooth eruption
croup | laryngotracheobronchitis
glandular fever | infectious mononucleosis
mono | infectious mononucleosis
german measles | rubella
slapped cheek | fifth disease
hand foot and mouth | hand foot and mouth disease
tick bite fever | lyme disease
bee sting allergy | insect venom allergy
fever | pyrexia
high temperature | fever
chills | rigors
sepsis | blood poisoning
infection | infectious disease
inflammation | inflammatory response
wound | laceration
bruise | contusion
scar | cicatrix
burn | thermal injury
frostbite | cold injury
heat stroke | hyperthermia
hypothermia | low body temperature
travel sickness | motion sickness
jet lag | circadian rhythm disorder
body clock | circadian rhythm
sleep schedule | sleep hygiene
nap | daytime sleep
sleepy during the day | excessive daytime sleepiness
falling asleep suddenly | narcolepsy
nightmares | nightmare disorder
sleep talking | somniloquy
waking up at night | sleep maintenance insomnia
""".strip()


def pairs():
    for line in PAIRS.splitlines():
        lay, clinical = (part.strip() for part in line.split("|"))
        yield lay, clinical


def seed(apps, schema_editor):
    Synonym = apps.get_model("forum", "Synonym")
    Synonym.objects.bulk_create(
        [Synonym(lay_term=lay, clinical_term=clinical) for lay, clinical in pairs()], ignore_conflicts=True
    )


def unseed(apps, schema_editor):
    Synonym = apps.get_model("forum", "Synonym")
    for lay, clinical in pairs():
        Synonym.objects.filter(lay_term=lay, clinical_term=clinical).delete()


class Migration(migrations.Migration):
    dependencies = [("forum", "0011_search_fts5_index")]

    operations = [migrations.RunPython(seed, unseed)]
