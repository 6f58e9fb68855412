#!/usr/bin/env python3
# Real prompts as benign background for detection (docs/HARVEST_SIGNAL.md section 9).
#
# real-prompts-background.py SIMDIR OUTDIR SEED [PROMPTS_DIR]
#
# Writes OUTDIR/real.jsonl.gz: 120 benign accounts asking the real benign prompt corpora (Arena-Hard, OASST, Vicuna
# bench, awesome-chatgpt-prompts; by default the gzipped copies the simulator ships in model/sim/corpora, see its
# ATTRIBUTION.md; PROMPTS_DIR may hold them gzipped or plain), shaped like the careful
# adversary but for the text: two groups of 60 accounts each starting within 4 hours of one another, 20-40 requests an
# account, every prompt asked by 2-3 accounts of its group, long answers (median 1,100 output tokens). OUTDIR's
# accounts.csv and truth.csv are SIMDIR's (a `distillscope-cli simulate` folder) plus these accounts, role
# "real-corpus". Then: scan SIMDIR/requests.jsonl.gz OUTDIR/real.jsonl.gz OUTDIR/accounts.csv, and eval with
# OUTDIR/truth.csv; the role's flagged count is the figure.
#
# REAL_MAX_TOKENS=N in the environment sets the accounts' max_tokens to N (default 8192, which no answer reaches):
# with 1024 about half their long answers stop at the limit, as a capping harvester's do (section 10).
import json,csv,gzip,random,sys,os,datetime
csv.field_size_limit(10**8)
if len(sys.argv) not in (4,5):
    sys.exit(print('usage: real-prompts-background.py SIMDIR OUTDIR SEED [PROMPTS_DIR]',file=sys.stderr) or 2)
SIM,OUT,SEED=sys.argv[1],sys.argv[2],int(sys.argv[3])
P=sys.argv[4] if len(sys.argv)>4 else os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','model','sim','corpora')
def corpus(name):  # NAME.gz when present (the shipped copies), else NAME
    path=os.path.join(P,name)
    return gzip.open(path+'.gz','rt',encoding='utf-8',newline='') if os.path.exists(path+'.gz') else open(path,encoding='utf-8',newline='')
rng=random.Random(SEED)
MAXT=int(os.environ.get('REAL_MAX_TOKENS','8192'))
prompts=[]
for l in corpus('benign_arena_hard_v0.1.jsonl'): prompts.append(json.loads(l)['prompt'])
for l in corpus('benign_oasst_prompt_lottery_en_250.jsonl'): prompts.append(json.loads(l))
for l in corpus('benign_vicuna_bench_questions.jsonl'): prompts.append(json.loads(l)['turns'][0])
for r in csv.DictReader(corpus('benign_awesome_prompts.csv')): prompts.append(r['prompt'])
prompts=[p for p in prompts if isinstance(p,str) and p.strip()]
rng.shuffle(prompts)
os.makedirs(OUT,exist_ok=True)
t0=datetime.datetime(2026,2,2,tzinfo=datetime.timezone.utc).timestamp()
def iso(t): return datetime.datetime.fromtimestamp(t,datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]+'Z'
recs=[];accts=[];truth=[]
pi=0
for g,(day,size) in enumerate([(3.4,60),(8.4,60)]):
    start=t0+day*86400
    ids=['acct_real%d_%03d'%(g,i) for i in range(size)]
    starts={a:start+rng.uniform(0,4*3600) for a in ids}
    need={a:rng.randint(20,40) for a in ids}
    queue=[]  # (account, prompt)
    while any(need.values()):
        p=prompts[pi%len(prompts)]; pi+=1
        k=rng.choice([2,3]); cand=[a for a in ids if need[a]>0]
        for a in rng.sample(cand,min(k,len(cand))):
            need[a]-=1; queue.append((a,p))
    by={a:[] for a in ids}
    for a,p in queue: by[a].append(p)
    for a in ids:
        t=starts[a]
        for j,p in enumerate(by[a]):
            if j: t+=rng.lognormvariate(7.5,1.2)  # minutes to hours between asks
            pt=6+len(p.encode())*10//38; ct=int(min(8000,rng.lognormvariate(7.0,0.5))); cut=ct>=MAXT; ct=min(ct,MAXT)
            recs.append(dict(request_id='req_real_%s_%d'%(a,j),timestamp=iso(t),account_id=a,api_key_id='key_'+a,ip='198.51.%d.%d'%(g,rng.randint(1,250)),
                user_agent='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
                model='claude-sonnet-4-5',endpoint='/v1/messages',prompt=p,prompt_tokens=pt,completion_tokens=ct,max_tokens=MAXT,
                stop_reason='max_tokens' if cut else 'end_turn',latency_ms=int(1000+ct*12),status=200))
        accts.append(dict(account_id=a,created_at=iso(t0-rng.uniform(30,400)*86400),email_domain='gmail.com',payment_fingerprint='pf_real_%s'%a,billing_country='US',org_id='',tier='tier-1',verified='true'))
        truth.append(dict(account_id=a,label='benign',campaign='',role='real-corpus'))
with gzip.open(f'{OUT}/real.jsonl.gz','wt') as f:
    for r in recs: f.write(json.dumps(r)+'\n')
# accounts and truth: the simulated ones plus these
with open(f'{OUT}/accounts.csv','w',newline='') as f:
    src=list(csv.DictReader(open(f'{SIM}/accounts.csv'))); w=csv.DictWriter(f,fieldnames=list(src[0].keys())); w.writeheader(); [w.writerow(r) for r in src+accts]
with open(f'{OUT}/truth.csv','w',newline='') as f:
    src=list(csv.DictReader(open(f'{SIM}/truth.csv'))); w=csv.DictWriter(f,fieldnames=list(src[0].keys())); w.writeheader(); [w.writerow(r) for r in src+truth]
print(len(recs),'requests',len(accts),'accounts',pi,'prompts used of',len(prompts))
