"""The demo organisation's shape and people's names: data for people.demo, kept apart
so that the seeding logic reads on its own."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TeamKind:
    """Who leads a kind of team, and its mix of staff as (job title, band, relative weight).
    '{specialty}' in a title becomes the department's specialty."""

    lead: tuple[str, str]
    staff: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True)
class DepartmentPlan:
    name: str
    head: tuple[str, str]  # job title, band
    teams: tuple[tuple[str, str], ...]  # (team name, kind); the first is staffed first
    specialty: str = ""  # for doctors' job titles; the department's name when empty


@dataclass(frozen=True)
class DirectoratePlan:
    name: str
    director: tuple[str, str]
    departments: tuple[DepartmentPlan, ...]


# fmt: off
# Bands are written as their values ("5", "8a", "medical"): see people.models.Band.
TEAM_KINDS: dict[str, TeamKind] = {
    "ward": TeamKind(("Ward Manager", "7"), (
        ("Staff Nurse", "5", 40), ("Senior Staff Nurse", "6", 12), ("Nursing Associate", "4", 6),
        ("Senior Healthcare Assistant", "3", 14), ("Healthcare Assistant", "2", 12), ("Ward Clerk", "2", 4))),
    "doctors": TeamKind(("Clinical Lead for {specialty}", "medical"), (
        ("Consultant in {specialty}", "medical", 10), ("Specialty Registrar in {specialty}", "medical", 8),
        ("Specialty Doctor in {specialty}", "medical", 4), ("Foundation Year 2 Doctor", "medical", 5),
        ("Foundation Year 1 Doctor", "medical", 5), ("Medical Secretary", "4", 4))),
    "theatres": TeamKind(("Theatre Manager", "7"), (
        ("Theatre Practitioner", "5", 20), ("Senior Theatre Practitioner", "6", 8),
        ("Operating Department Practitioner", "5", 10), ("Theatre Support Worker", "3", 10),
        ("Theatre Porter", "2", 4))),
    "midwifery": TeamKind(("Midwifery Team Leader", "7"), (
        ("Midwife", "6", 30), ("Newly Qualified Midwife", "5", 8), ("Maternity Support Worker", "3", 12),
        ("Maternity Care Assistant", "2", 6))),
    "imaging": TeamKind(("Superintendent Radiographer", "7"), (
        ("Diagnostic Radiographer", "5", 18), ("Senior Radiographer", "6", 10), ("Sonographer", "7", 5),
        ("Radiology Department Assistant", "3", 8), ("Radiology Receptionist", "2", 4))),
    "pharmacy": TeamKind(("Lead Pharmacist", "8a"), (
        ("Clinical Pharmacist", "7", 10), ("Pharmacist", "6", 8), ("Pharmacy Technician", "5", 12),
        ("Pharmacy Assistant", "3", 10))),
    "laboratory": TeamKind(("Laboratory Manager", "8a"), (
        ("Biomedical Scientist", "5", 14), ("Specialist Biomedical Scientist", "6", 10),
        ("Medical Laboratory Assistant", "3", 10), ("Phlebotomist", "2", 6))),
    "therapies": TeamKind(("Therapy Team Lead", "7"), (
        ("Physiotherapist", "5", 10), ("Senior Physiotherapist", "6", 6), ("Occupational Therapist", "6", 8),
        ("Speech and Language Therapist", "6", 4), ("Dietitian", "6", 4), ("Therapy Assistant", "3", 8))),
    "workforce": TeamKind(("HR Manager", "8a"), (
        ("HR Business Partner", "7", 4), ("HR Adviser", "5", 8), ("Recruitment Officer", "4", 6),
        ("Workforce Information Analyst", "6", 3), ("Learning and Development Facilitator", "5", 4),
        ("HR Administrator", "3", 6))),
    "finance": TeamKind(("Finance Manager", "8a"), (
        ("Management Accountant", "7", 4), ("Finance Officer", "5", 8), ("Payroll Officer", "4", 6),
        ("Procurement Officer", "5", 4), ("Finance Assistant", "3", 6))),
    "digital": TeamKind(("IT Service Manager", "8a"), (
        ("Service Desk Analyst", "4", 10), ("Systems Analyst", "6", 6), ("Software Developer", "6", 5),
        ("Network Engineer", "6", 4), ("Clinical Systems Trainer", "5", 4))),
    "governance": TeamKind(("Governance Manager", "8a"), (
        ("Patient Safety Specialist", "7", 4), ("Risk Manager", "7", 3), ("Complaints Officer", "4", 6),
        ("Patient Advice and Liaison Officer", "4", 5), ("Governance Administrator", "3", 5))),
    "estates": TeamKind(("Estates Supervisor", "5"), (
        ("Electrician", "4", 8), ("Plumber", "4", 6), ("Estates Officer", "5", 4), ("Maintenance Assistant", "3", 10))),
    "hotel": TeamKind(("Hotel Services Supervisor", "4"), (
        ("Domestic Assistant", "2", 20), ("Catering Assistant", "2", 12), ("Housekeeper", "3", 6), ("Chef", "3", 4))),
    "logistics": TeamKind(("Logistics Supervisor", "4"), (
        ("Porter", "2", 20), ("Driver", "3", 8), ("Stores Assistant", "2", 8))),
}

D, DP = DirectoratePlan, DepartmentPlan
ORGANISATION_PLAN: tuple[DirectoratePlan, ...] = (
    D("Medicine", ("Divisional Director of Medicine", "9"), (
        DP("Emergency Department", ("Matron, Emergency Department", "8a"), (
            ("Majors", "ward"), ("Minors", "ward"), ("Emergency Medicine Doctors", "doctors"),
            ("Resuscitation", "ward"), ("Paediatric Emergency", "ward")), "Emergency Medicine"),
        DP("Cardiology", ("Clinical Director, Cardiology", "medical"), (
            ("Cardiology Consultants", "doctors"), ("Coronary Care Unit", "ward"), ("Cardiology Ward", "ward"))),
        DP("Acute Medicine", ("Matron, Acute Medicine", "8a"), (
            ("Acute Medical Unit", "ward"), ("Acute Physicians", "doctors"), ("Same Day Emergency Care", "ward"))),
        DP("Respiratory Medicine", ("Matron, Respiratory Medicine", "8a"), (
            ("Larch Ward", "ward"), ("Respiratory Physicians", "doctors"), ("Pulmonary Rehabilitation", "therapies"))),
        DP("Elderly Care", ("Matron, Elderly Care", "8a"), (
            ("Rowan Ward", "ward"), ("Frailty Team", "therapies"), ("Geriatricians", "doctors"),
            ("Willow Ward", "ward")), "Geriatric Medicine"),
    )),
    D("Surgery", ("Divisional Director of Surgery", "9"), (
        DP("Theatres", ("Head of Theatres", "8b"), (
            ("Main Theatres", "theatres"), ("Day Surgery Theatres", "theatres"), ("Recovery", "theatres"))),
        DP("Anaesthetics", ("Clinical Director, Anaesthetics", "medical"), (
            ("Anaesthetists", "doctors"), ("Pre-operative Assessment", "ward"))),
        DP("General Surgery", ("Matron, General Surgery", "8a"), (
            ("Surgical Assessment Unit", "ward"), ("General Surgeons", "doctors"), ("Oak Ward", "ward"))),
        DP("Trauma and Orthopaedics", ("Matron, Trauma and Orthopaedics", "8a"), (
            ("Beech Ward", "ward"), ("Orthopaedic Surgeons", "doctors"), ("Fracture Clinic", "ward"))),
    )),
    D("Women's and Children's", ("Divisional Director of Women's and Children's Services", "9"), (
        DP("Maternity", ("Head of Midwifery", "8c"), (
            ("Delivery Suite", "midwifery"), ("Community Midwives", "midwifery"), ("Antenatal Clinic", "midwifery"),
            ("Postnatal Ward", "midwifery"))),
        DP("Paediatrics", ("Matron, Paediatrics", "8a"), (
            ("Children's Ward", "ward"), ("Paediatricians", "doctors"), ("Children's Outpatients", "ward"))),
        DP("Neonatal Unit", ("Neonatal Unit Manager", "8a"), (
            ("Neonatal Intensive Care", "ward"), ("Special Care Baby Unit", "ward"))),
        DP("Gynaecology", ("Matron, Gynaecology", "8a"), (
            ("Gynaecology Ward", "ward"), ("Gynaecologists", "doctors")), "Obstetrics and Gynaecology"),
    )),
    D("Clinical Support Services", ("Divisional Director of Clinical Support Services", "9"), (
        DP("Radiology", ("Radiology Services Manager", "8b"), (
            ("General Radiography", "imaging"), ("CT and MRI", "imaging"), ("Ultrasound", "imaging"))),
        DP("Pharmacy", ("Chief Pharmacist", "8d"), (
            ("Dispensary", "pharmacy"), ("Ward Pharmacy", "pharmacy"), ("Aseptic Services", "pharmacy"))),
        DP("Pathology", ("Pathology Services Manager", "8b"), (
            ("Blood Sciences", "laboratory"), ("Microbiology", "laboratory"), ("Cellular Pathology", "laboratory"))),
        DP("Therapies", ("Head of Therapies", "8b"), (
            ("Physiotherapy", "therapies"), ("Occupational Therapy", "therapies"),
            ("Speech and Language Therapy", "therapies"))),
    )),
    D("Corporate Services", ("Director of Corporate Services", "vsm"), (
        DP("Workforce and People", ("Deputy Director of People", "8d"), (
            ("HR Business Partners", "workforce"), ("Recruitment", "workforce"),
            ("Learning and Development", "workforce"), ("Workforce Information", "workforce"))),
        DP("Finance", ("Deputy Director of Finance", "8d"), (
            ("Financial Management", "finance"), ("Payroll", "finance"), ("Procurement", "finance"))),
        DP("Digital Services", ("Head of Digital Services", "8c"), (
            ("Service Desk", "digital"), ("Clinical Systems", "digital"), ("Infrastructure", "digital"))),
        DP("Governance and Quality", ("Head of Governance", "8c"), (
            ("Patient Safety", "governance"), ("Complaints and PALS", "governance"),
            ("Risk and Compliance", "governance"))),
    )),
    D("Estates and Facilities", ("Director of Estates and Facilities", "vsm"), (
        DP("Estates", ("Head of Estates", "8b"), (
            ("Electrical Maintenance", "estates"), ("Mechanical Maintenance", "estates"),
            ("Building Works", "estates"))),
        DP("Hotel Services", ("Head of Hotel Services", "8a"), (
            ("Domestic Services", "hotel"), ("Catering", "hotel"), ("Linen Services", "hotel"))),
        DP("Transport and Logistics", ("Logistics Manager", "8a"), (
            ("Portering", "logistics"), ("Stores and Distribution", "logistics"), ("Patient Transport", "logistics"))),
    )),
)
CHIEF_EXECUTIVE = ("Chief Executive", "vsm")
# fmt: on


# fmt: off
FEMALE_FIRST_NAMES = [
    "Amelia", "Olivia", "Emily", "Sophie", "Jessica", "Charlotte", "Lucy", "Hannah", "Grace", "Chloe", "Ella",
    "Megan", "Sarah", "Emma", "Rebecca", "Laura", "Rachel", "Helen", "Claire", "Joanne", "Nicola", "Karen", "Susan",
    "Julie", "Catherine", "Elizabeth", "Victoria", "Natalie", "Amy", "Zoe", "Katie", "Holly", "Priya", "Aisha",
    "Fatima", "Amina", "Sana", "Zainab", "Ayesha", "Anjali", "Deepa", "Mei", "Chiamaka", "Ngozi", "Adaeze",
    "Funmilayo", "Blessing", "Abena", "Maria", "Ana", "Agnieszka", "Joanna", "Niamh", "Siobhan", "Aoife", "Ffion",
    "Cerys", "Bethan", "Eilidh", "Morag", "Isla", "Freya", "Poppy", "Ruby", "Alice",
]
MALE_FIRST_NAMES = [
    "Oliver", "Jack", "Harry", "George", "Thomas", "James", "William", "Daniel", "Samuel", "Joseph", "Benjamin",
    "Matthew", "Luke", "Adam", "Ryan", "Michael", "David", "Andrew", "Paul", "Mark", "Richard", "Stephen",
    "Christopher", "Robert", "Peter", "Simon", "Gareth", "Rhys", "Dylan", "Owen", "Callum", "Ewan", "Fraser",
    "Connor", "Liam", "Sean", "Ciaran", "Mohammed", "Ahmed", "Omar", "Imran", "Bilal", "Hassan", "Yusuf", "Arjun",
    "Rohan", "Sanjay", "Vikram", "Raj", "Chukwuemeka", "Oluwaseun", "Kwame", "Kofi", "Emeka", "Tomasz", "Piotr",
    "Marco", "Lewis", "Alfie", "Noah", "Ethan", "Jacob", "Henry",
]
LAST_NAMES = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
    "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
    "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
    "Simpson", "Ellis", "Adams", "Singh", "Begum", "Ali", "Hussain", "Shah", "Ahmed", "Rahman", "Chowdhury", "Kaur",
    "Sharma", "Gupta", "Okafor", "Adeyemi", "Mensah", "Owusu", "Nwosu", "Campbell", "Stewart", "MacDonald",
    "Fraser", "Reid", "O'Brien", "O'Connor", "Byrne", "Doyle", "Kowalski", "Nowak", "Wong", "Chen", "Nguyen",
    "Jenkins", "Lloyd", "Pugh", "Powell", "Rees", "Fletcher", "Holmes", "Knight", "Barker", "Mason", "Gray", "Ross",
    "Palmer", "Mills", "Webb", "Hunt", "Dixon", "Fox", "Grant", "Sutton", "Lawrence", "Murray", "Chapman", "Ford",
    "Graham", "Hamilton", "Sinclair-Brown",
]
# fmt: on
