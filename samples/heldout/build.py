#!/usr/bin/python3
"""Builds samples/heldout/conversations.jsonl: 16 held-out conversations for checking the analytics.

Written by the Emotion project (no real customer data), after the 27 demo samples and before any rule
was tuned against these: they are NOT used to tune rules. The expected answers are in README.md beside
this file and were decided when the conversations were written.

Timing only is generated: calls about 2.5 words a second, chats typing time plus a reading gap, plus the
seconds written in [markers]. A line "A>" is an agent turn that starts 1.2 s before the customer's
previous turn ended (an interruption). Deterministic: /usr/bin/python3 samples/heldout/build.py
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id, tenant, agent, team, campaign, language, channel, script
CONVERSATIONS = [
    ("h-es-01", "movil-iberia", "ag-501", "equipo-norte", "soporte", "es", "call", """
A: movil iberia buenas tardes le atiende nuria
C: hola buenas mira te llamo porque desde ayer por la tarde no me van los datos en el móvil, tengo cobertura pero no carga nada
A: vaya pues vamos a mirarlo, me dices el dni del titular
C: cinco tres ocho uno dos siete cuatro ka
A: gracias alejandro, ¿el móvil lo has reiniciado?
C: sí dos veces y nada, y lo necesito para el trabajo que soy repartidor y voy con el mapa todo el día, me está fastidiando muchísimo
A: te entiendo perfectamente, déjame que mire la línea [silencio 12s] vale, veo que con el cambio de tarifa se te quedó mal el perfil de datos, te lo vuelvo a mandar ahora
C: ¿y eso qué es, tengo que hacer algo yo?
A: te va a llegar un mensaje de configuración, lo aceptas y apagas y enciendes el móvil
C: vale espera [pausa 40s] ya está, ha vuelto la cuatro ge y ya me abre el mapa
A: estupendo, ya debería irte todo normal
C: ostras qué bien, pues muchísimas gracias nuria, me has arreglado el día
A: de nada alejandro, que vaya bien la ruta
"""),
    ("h-es-02", "banco-azteca-norte", "ag-511", "equipo-centro", "atencion-clientes", "es", "call", """
A: banco del norte buen día le atiende rodrigo con quién tengo el gusto
C: buenos días soy patricia herrera, le hablo por un cargo de anualidad de la tarjeta
A: con gusto señora patricia, me proporciona los últimos cuatro dígitos de su tarjeta
C: cero ocho siete tres
A: gracias, y su fecha de nacimiento
C: veintidós de agosto del setenta y nueve
A: muy bien, cuénteme
C: pues cuando saqué la tarjeta el ejecutivo me dijo que no iba a pagar anualidad nunca y ahora me llegan mil doscientos pesos de anualidad, eso no fue lo que me ofrecieron
A: entiendo su molestia señora, permítame revisar las condiciones de su producto [silencio 20s] lo que veo es que la exención era solo el primer año, a partir del segundo aplica la cuota anual
C: pero a mí nadie me dijo eso, me siento engañada la verdad
A: comprendo, lamentablemente no tengo forma de bonificar la anualidad porque está en el contrato, lo que sí le puedo ofrecer es cambiarla a la tarjeta clásica que no cobra anualidad para el próximo año
C: o sea que los mil doscientos sí los tengo que pagar
A: así es señora, esos sí se quedan
C: pues ni modo, cámbiemela a la clásica entonces
A: listo, queda registrado el cambio para el siguiente periodo, ¿algo más en que le pueda apoyar?
C: no, es todo, gracias
A: gracias a usted señora patricia, que tenga buen día
"""),
    ("h-es-03", "telco-sur", "ag-521", "equipo-rio", "ventas", "es", "chat", """
C: hola buenas tardes, quería saber si puedo pasar mi plan de 20 gigas al de 50 sin cambiar de número
A: Hola. DNI del titular.
C: 28.441.905
A: Para cambios de plan tiene que entrar a la web, sección Mis Planes.
C: Ya entré y me aparece un error cuando confirmo, por eso escribo
A: Será su navegador.
C: probé en dos navegadores y en el celu, mismo error. no me lo podés hacer vos desde ahí?
A: Aguarde.
A: [espera 9 min]
C: sigue ahí??
A: No lo puedo hacer desde acá, eso lo maneja otra área. Tiene que escribir al formulario de la web.
C: el formulario de la web que justamente es lo que no anda?? bárbaro, re útil la atención 👏👏
A: Es el procedimiento. Algo más?
C: no, nada más. me voy a fijar en otra compañía directamente
A: Gracias por comunicarse con Telco Sur.
"""),
    ("h-es-04", "banco-andino", "ag-102", "equipo-andes", "reclamos", "es", "call", """
A: banco andino buenas tardes le habla mateo en qué le puedo colaborar
C: mire ya van cuatro veces que llamo por lo mismo y cada vez me dicen una cosa distinta, estoy mamada de este banco
A: lamento mucho que haya tenido que llamar tantas veces señora, vamos a revisarlo juntos, me regala su número de cédula
C: uno cero dos dos tres cuatro cinco seis siete ocho
A: gracias señora luz, ¿qué es lo que le está pasando?
C: me descontaron un seguro de vida que yo nunca pedí, setenta y cinco mil pesos, y en cada llamada me dicen que ya lo cancelaron y al otro mes otra vez el cobro
A: ya veo, efectivamente tiene tres cobros del seguro y la cancelación nunca se aplicó en el sistema, la solicitud anterior quedó a medias
C: pues claro, por eso estoy llamando otra vez
A: tiene toda la razón, ahora mismo estoy cancelando el seguro y le estoy haciendo la devolución de los tres cobros [silencio 25s] listo, ya quedó cancelado y los doscientos veinticinco mil pesos se le reflejan en la cuenta hoy antes de las seis
C: ¿de verdad? ¿los tres?
A: los tres, y le dejo el radicado por si acaso, nueve ocho siete cero uno
C: ay bendito, hasta que alguien me lo arregla, muchas gracias mateo, usted sí es un sol
A: con mucho gusto señora luz, que tenga buena tarde
"""),
    ("h-es-05", "banco-andino", "ag-101", "equipo-andes", "cobranzas", "es", "call", """
A: buenos días le saludo de banco andino mi nombre es carla, ¿hablo con el señor jorge quispe?
C: sí con él habla
A: señor jorge, para validar su identidad me confirma los últimos cuatro dígitos de su dni
C: seis seis uno cero
A: gracias, le llamo porque la cuota de su crédito vehicular venció el día quince y aún figura pendiente
C: ah sí, justo me pagaron tarde este mes, pensaba pagarla el viernes
A: no hay problema, ¿le registro el compromiso de pago para este viernes veinte?
C: sí, el viernes sin falta lo deposito por la app
A: perfecto, queda registrado, le recuerdo que hasta el viernes no se generan intereses adicionales
C: ya, está bien, gracias por avisar
A: a usted señor jorge, que tenga buen día
C: igualmente, hasta luego
"""),
    ("h-es-06", "tienda-pacifico", "ag-531", "equipo-sur", "postventa", "es", "call", """
A: tienda pacífico buenas tardes habla fernanda en qué le puedo ayudar
C: hola fernanda mira compré un notebook hace doce días para mi hija que entra a clases el lunes y todavía no llega nada, la página dice en preparación desde hace una semana
A: uy lo siento, me das el número de pedido o el rut del comprador
C: el rut es quince millones trescientos veinte mil cuatrocientos doce guion ka
A: gracias don cristián, déjame ver [silencio 15s] ya veo el pedido, quedó detenido en bodega porque la dirección no tenía número de departamento
C: pero si nadie me avisó nada, llevo toda la semana preguntando en el chat y me dicen que espere, estoy bien choreado
A: tienes razón, debieron avisarte, es un error nuestro. ya le agregué el departamento y lo pasé a despacho express, te llega mañana entre las nueve y la una
C: ¿mañana? ¿seguro?
A: sí, ya tiene asignado el courier, te va a llegar un correo con el seguimiento en un rato
C: ya pues buenísimo, se va a poner feliz mi hija, muchas gracias fernanda de verdad
A: de nada don cristián, que le vaya bien
"""),
    ("h-es-07", "banco-iberico", "ag-541", "equipo-levante", "tarjetas", "es", "chat", """
C: Hola, me han bloqueado la tarjeta de débito al pagar una compra online y ahora no puedo ni sacar dinero del cajero
A: Hola, buenas tardes. Siento el inconveniente. ¿Me indica su DNI para comprobarlo?
C: 47812235P
A: Gracias, Marta. Veo que el bloqueo se hizo por seguridad al detectar un pago sospechoso en una web extranjera.
C: El pago era mío, unas entradas de un concierto. Necesito la tarjeta hoy que me voy de viaje mañana
A: Lo entiendo. El problema es que este tipo de bloqueo solo se puede levantar en oficina presentando el DNI original, desde el chat no tengo opción de desbloquearla
C: En serio? Tengo que pedir permiso en el trabajo para ir a una oficina? No hay otra forma?
A: Lo lamento de verdad, es el procedimiento de seguridad del banco. Le puedo pedir cita en la oficina más cercana para mañana a primera hora
C: mañana a primera hora ya estoy en el aeropuerto…
A: Entiendo. Si quiere puedo solicitar una tarjeta virtual para el móvil, pero tarda 48 horas en activarse
C: Vale, pídela, qué remedio
A: Hecho, solicitada. ¿Puedo ayudarle en algo más?
C: No. Gracias de todos modos, ya me apañaré con efectivo
A: Buen viaje, Marta.
"""),
    ("h-es-08", "energia-norte", "ag-551", "equipo-bajio", "soporte-tecnico", "es", "call", """
A: energía del norte buenas noches le atiende samuel
C: oiga buenas noches, llevamos dos días sin luz en toda la cuadra desde la tormenta del domingo, se me echó a perder todo lo del refri
A: lamento mucho la situación, me proporciona su número de servicio por favor
C: cuatro cuatro siete nueve cero dos uno uno
A: gracias señor ramiro, sí tenemos reportada la falla en su colonia, fue un transformador dañado por la tormenta
C: ¿y para cuándo lo arreglan? ya ni me contestan en la otra línea
A: la cuadrilla está asignada pero no le puedo dar una hora exacta, dependemos de que llegue la pieza
C: o sea que puede ser mañana o la otra semana, yo tengo una niña chiquita aquí en la casa
A: lo entiendo, lo que sí puedo hacer es abrirle un reporte de reclamación por los alimentos perdidos, para eso necesita mandar fotos y el ticket de compra
C: ticket de compra de la comida del súper, quién guarda eso
A: es lo que piden para la reclamación señor
C: pues muchas gracias por nada, aquí seguimos a oscuras
A: le ofrezco una disculpa, que tenga buena noche
"""),
    ("h-es-09", "telco-sur", "ag-201", "equipo-pacifico", "atencion-general", "es", "call", """
A: telco sur buenas tardes habla lucía
C: al fin, cuarenta minutos estuve esperando para que me atiendan, una cosa de locos
A: le pido disculpas por la demora señora, hoy estamos con mucha demanda, ¿en qué la ayudo?
C: cargué saldo ayer en el kiosco, quinientos pesos, y no me figura en la línea
A: me pasa el número de línea y su documento
C: once cuatro cinco cinco dos ocho nueve uno, documento veinticinco millones cien mil trescientos
A: gracias norma, a ver [silencio 10s] sí, la recarga entró pero quedó asignada a una línea vieja suya que ya no usa, se la paso a la línea actual
C: ah mirá vos, ni me acordaba de esa línea
A: listo, ya le aparece el saldo, quinientos pesos, fíjese si le llega el mensaje
C: sí sí, me acaba de llegar, ay qué bueno, gracias querida, tan rápido que fue
A: de nada norma, perdone otra vez la espera, que tenga buena tarde
"""),
    ("h-es-10", "banco-andino", "ag-202", "equipo-pacifico", "atencion-general", "es", "chat", """
C: buenas, necesito la constancia de no adeudo de mi tarjeta que ya cancelé, me la pide el banco para el crédito hipotecario y tengo plazo hasta el jueves 😟
A: Hola! Con gusto te ayudo. Me confirmas tu DNI?
C: 40558123
A: Gracias Kevin. Veo que la tarjeta figura cancelada desde el mes pasado 👍
C: si, en la agencia me dijeron que la constancia demora 15 días hábiles y ahí se me cae el crédito, estoy muy preocupado
A: Entiendo la urgencia. Déjame validar si puedo emitirla de forma digital
A: [espera 3 min]
A: Listo, ya la generé con firma digital y te la envié a tu correo registrado, tiene la misma validez que la física
C: en serio? dame un toque que reviso
C: siii ya me llegó!!! justo lo que me pedían 🙏🙏
A: Genial! Cualquier cosa nos escribes
C: mil gracias de verdad, pensé que perdía la casa jaja
"""),
    ("h-en-01", "lakeside-broadband", "ag-601", "team-harbor", "tech-support", "en", "call", """
A: lakeside broadband this is omar how can i help
C: hi yeah my internet keeps cutting out every evening like clockwork around seven and i work night shifts from home so it's a real problem
A: sorry to hear that, can i get the account number please
C: it's four four one nine seven two zero
A: thanks ms dalton, have you tried a different cable or restarting the router
C: yes i've swapped the cable restarted it a dozen times even bought a new router last week
A: okay let me run a line test [silence 30s] i'm seeing a lot of noise on the line outside the house, that's not something i can fix remotely
C: so what happens now
A: i can book an engineer, the earliest slot is thursday between eight and one
C: thursday, that's three more nights, i'll have to go in to the office then
A: i'm sorry, that's the first slot the system gives me
C: okay well thanks for checking i suppose, book thursday
A: done, you'll get a text confirming it, anything else
C: no that's it bye
"""),
    ("h-en-02", "northwind-bank", "ag-301", "team-atlantic", "general", "en", "chat", """
C: Hi, how do I add my husband as an authorized user on my credit card?
A: Hi there! Happy to help. Can you confirm your full name and date of birth first?
C: Ellen Brooks, 03/14/1981
A: Thanks Ellen. You can add him in the app under Card settings > Authorized users, or I can do it here if you give me his full name and date of birth
C: oh nice, you can do it. Daniel Brooks, 07/02/1980
A: Done. His card will be mailed to your address in 7-10 business days. Would you like to set a spending limit on it?
C: no that's fine
A: All set then. Anything else I can help with?
C: nope, that's all, thanks!
A: Have a great day Ellen!
"""),
    ("h-en-03", "northwind-bank", "ag-302", "team-atlantic", "billing-support", "en", "call", """
A: northwind bank this is mike
C: hi mike i'm calling about a late fee on my card, i paid on the due date but it still charged me thirty five dollars and i was hoping
A> yeah what's the account number
C: uh it's seven seven zero two five one
A: okay payment posted the day after the due date so the fee applies
C: right but i paid it online before midnight on the due date the site said it would post the same
A> it posts when it posts ma'am that's how it works
C: can you at least look at whether it can be waived this is the first time ever
A: [silence 45s]
C: hello are you there
A: yeah the system won't let me waive it you should have paid a few days early like it says in the terms
C: wow okay, i've been a customer for eleven years and that's the answer
A: not much i can do, anything else
C: no, i'll take my business somewhere that actually listens
"""),
    ("h-en-04", "northwind-bank", "ag-301", "team-atlantic", "disputes", "en", "call", """
A: northwind bank this is sarah how can i help you today
C: yeah hi, this is the fourth time i'm calling about the same charge and every time somebody says it's handled and nothing happens, i'm honestly at the end of my rope
A: i'm really sorry you've had to call so many times, let's get this done properly today, can you confirm your full name and date of birth
C: gregory alvarez, november ninth nineteen seventy six
A: thank you gregory, which charge is it
C: a gym membership i cancelled in march, they kept taking eighty nine a month, i've disputed it three times
A: i see three dispute notes but none was actually submitted to the card network, that's on us, i'm submitting all three now [silence 20s] and i've issued a provisional credit for two hundred sixty seven dollars, you'll see it on your account within the hour
C: wait, all three months, today
A: yes, and i've blocked that merchant from charging the card again
C: wow, okay, that's more than anyone's done in two months, thank you so much sarah, really
A: you're welcome gregory, have a good evening
"""),
    ("h-en-05", "northwind-bank", "ag-302", "team-atlantic", "general", "en", "chat", """
C: I got married in June and I need my last name changed on my accounts. I've been transferred three times already today
A: Hi, congratulations! I can help start that. Can you confirm the last four of your SSN?
C: 5521
A: Thanks. For a name change we need a copy of the marriage certificate and a photo ID with the new name uploaded through the secure documents page
C: my ID still has my old name, the DMV appointment isn't until next month
A: In that case we have to wait until you have the updated ID, sorry, it's a requirement for legal name changes
C: great, another form and another month. love that for me 🙃
A: I understand it's frustrating. I've added a note to your profile so you won't have to explain again
C: fine. thanks
A: You're welcome, have a nice day!
"""),
    ("h-en-06", "northwind-bank", "ag-301", "team-atlantic", "collections", "en", "call", """
A: northwind bank collections this is sarah am i speaking with mr james okafor
C: yes that's me, look i know i'm behind on the car loan, i got laid off in august and i've been dreading this call
A: i'm sorry to hear about your job, thank you for picking up, for security can you confirm your date of birth
C: april second nineteen eighty eight
A: thank you, let's see what we can do so this is manageable for you, do you have any income right now
C: unemployment, about half what i made before, i can maybe do a hundred fifty a month, not the four twenty
A: okay, there's a hardship program, six months at one fifty with the missed payments moved to the end of the loan and no late fees
C: you can do that, really
A: yes, i've set it up [silence 15s] you're enrolled, first payment of one fifty on the fifteenth and the two missed ones are moved to the end
C: man that is a huge weight off, i really appreciate it, i thought you were calling to take the car
A: not at all, we'd rather work it out with you, good luck with the job search
C: thank you, you have a good one
"""),
]

MARKER = re.compile(r"\[([^\]]*)\]")
DURATION = re.compile(r"(\d+(?:[.,]\d+)?)\s*(min|s)\b")
PUNCT = re.compile(r"[¿¡?!.,;:]")


def marked_seconds(text):
    total = 0.0
    for m in MARKER.finditer(text):
        for d in DURATION.finditer(m.group(1)):
            total += float(d.group(1).replace(",", ".")) * (60 if d.group(2) == "min" else 1)
    return total


def as_asr(text):
    """Lowercase, no punctuation outside [markers]: how a call transcript reads."""
    parts, pos = [], 0
    for m in MARKER.finditer(text):
        parts.append(PUNCT.sub("", text[pos:m.start()]).lower())
        parts.append(m.group(0))
        pos = m.end()
    parts.append(PUNCT.sub("", text[pos:]).lower())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def build(conv):
    cid, tenant, agent, team, campaign, lang, channel, script = conv
    rng = random.Random("heldout:" + cid)
    turns, t = [], round(rng.uniform(0.4, 1.8), 1)
    for line in script.strip().splitlines():
        tag, text = line[:2], line[2:].strip()
        speaker = "agent" if tag[0] == "A" else "customer"
        if channel == "call":
            text = as_asr(text)
        words = len(MARKER.sub(" ", text).split())
        if channel == "call":
            dur = words / rng.uniform(2.3, 2.8) + marked_seconds(text) + (0.3 if words else 0)
            gap = rng.uniform(0.3, 1.3)
        else:
            dur = words * (rng.uniform(0.3, 0.45) if speaker == "agent" else rng.uniform(0.5, 0.85)) + marked_seconds(text)
            gap = rng.uniform(5, 22)
        start = t
        if tag == "A>" and turns:
            start = max(turns[-1]["start_s"] + 0.5, turns[-1]["end_s"] - 1.2)
        end = start + max(dur, 0.6)
        turns.append({"speaker": speaker, "start_s": round(start, 1), "end_s": round(end, 1), "text": text})
        t = end + gap
    return {"conversation_id": cid, "tenant": tenant, "agent_id": agent, "team_id": team, "campaign": campaign,
            "language": lang, "channel": channel, "turns": turns}


def main():
    path = os.path.join(HERE, "conversations.jsonl")
    errors = []
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for conv in CONVERSATIONS:
            c = build(conv)
            if not 8 <= len(c["turns"]) <= 25:
                errors.append(f"{c['conversation_id']}: {len(c['turns'])} turns")
            for i, tr in enumerate(c["turns"]):
                if not tr["start_s"] < tr["end_s"]:
                    errors.append(f"{c['conversation_id']} turn {i}: bad timing")
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(CONVERSATIONS)} conversations written to {path}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
