#!/usr/bin/python3
"""Builds samples/conversations.jsonl, the demo conversations, from the scripts written below.

The conversations are written by the Emotion project (no real customer data). This script only adds
timing: speech at about 2.5 words a second on calls, typing time and reading gaps on chats, and the
durations written in square-bracket markers ([hold 2 min], [silencio 15s]), which are not speech.
Call turns are rendered as an ASR transcript would give them (lowercase, no punctuation).
Deterministic: run  /usr/bin/python3 samples/build.py
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

AGENTS = {  # agent_id -> team_id
    "ag-101": "equipo-andes", "ag-102": "equipo-andes",
    "ag-201": "equipo-pacifico", "ag-202": "equipo-pacifico",
    "ag-301": "team-atlantic", "ag-302": "team-atlantic",
}

# id, tenant, agent, campaign, language, channel, script ("A:" agent, "C:" customer; one turn a line)
CONVERSATIONS = [
    ("es-001", "banco-andino", "ag-101", "reclamos", "es", "call", """
A: banco andino buenos días, le habla carla, ¿en qué le puedo ayudar?
C: hola, mire, estoy furiosa, me cobraron dos veces la cuota del préstamo este mes y me dejaron la cuenta en cero
A: lamento mucho la situación, la ayudo a revisarlo ahora mismo. ¿me indica su número de dni para validar su identidad?
C: sí, es el cuatro cinco ocho dos uno tres tres nueve
A: gracias. ¿y su fecha de nacimiento, por favor?
C: doce de marzo del ochenta y cinco
A: perfecto, señora rosa, ya la tengo. cuénteme, ¿el cobro duplicado fue el día cinco?
C: sí, el cinco, dos veces el mismo monto, trescientos cincuenta soles, y ahora no tengo para pagar la luz, no puede ser
A: entiendo, es muy molesto que le pase justo a fin de mes. déjeme revisar [silencio 15s] listo, veo los dos cargos, el segundo fue un error del proceso de débito automático
C: o sea que ni siquiera fue culpa mía
A: no, para nada, fue un error nuestro y le pido disculpas. ya solicité la reversión del segundo cargo y como excepción se lo acredito hoy mismo, en unos minutos lo va a ver en su cuenta
C: ¿hoy mismo? pensé que me iban a decir que espere quince días
A: no hace falta, ya está aprobado. le dejo además el número de reclamo, cuatro cinco ocho siete dos
C: a ver, espere que entro a la app [silencio 20s] sí, ya me aparece, trescientos cincuenta de vuelta
A: qué bueno, me alegra mucho. ¿hay algo más en lo que la pueda ayudar?
C: no, nada más, muchísimas gracias carla, de verdad me salvaste el día
A: gracias a usted por su paciencia, que tenga un lindo día
"""),
    ("es-002", "telco-sur", "ag-202", "soporte-tecnico", "es", "call", """
A: telco sur, habla diego
C: hola buenas, llamaba porque estoy sin internet desde el sábado y trabajo desde mi casa
A: número de dni
C: treinta y dos millones cuatrocientos diez mil
A: ¿y el titular?
C: soy yo, martín gómez. como le decía, desde el sábado no tengo conexión, ya reinicié el módem como cinco veces
A: ¿reinició el módem?
C: sí, le acabo de decir que sí, cinco veces
A: bueno, si la luz de internet está en rojo es un tema de la zona, eso no es mi área
C: ¿y entonces con quién hablo? porque ya llamé el lunes y me dijeron que lo iban a ver
A: [hold 4 min]
C: ¿hola? ¿sigue ahí?
A: sí, mire, puede ser que haya algo en el sistema o puede ser su cableado interno, no sé decirle
C: pero ¿me van a mandar un técnico o no?
A: ya le dije que hay que esperar, usted tendría que haber llamado antes del corte de la semana pasada
C: ¿cómo iba a llamar antes de que se corte? perdón pero no tiene sentido lo que me dice
A: no me interrumpa por favor. le dejo el reclamo abierto, en setenta y dos horas hábiles lo contactan
C: setenta y dos horas más sin trabajar
A: ¿algo más?
C: no, ok gracias igual, supongo que voy a tener que esperar
"""),
    ("es-003", "telco-sur", "ag-102", "soporte-tecnico", "es", "chat", """
C: hola. genial, otra vez sin fibra, tercera vez este mes, qué maravilla de servicio 🙃
A: ¡Hola! Soy Mateo de Telco Sur. Lamento mucho que vuelvas a estar sin servicio, te ayudo ya. ¿Me pasás tu DNI o el número de cliente?
C: dni 28.441.902
A: Gracias, Sofía. Veo dos cortes en tu zona este mes y uno activo desde las 9 de hoy. ¿Las luces del módem cómo están?
C: la de LOS en rojo. ya sé, ya sé, lo reinicio y listo, como siempre no?
A: No esta vez 🙂 El rojo en LOS indica que la señal no llega a tu casa, así que reiniciar no sirve. Es una falla de la red, no de tu equipo.
C: bueno al menos alguien lo admite
A: Ya hay una cuadrilla trabajando en la caja de tu cuadra, el arreglo está estimado para las 14 hs. Además te cargo un crédito por los días sin servicio de este mes.
C: en serio? cuanto?
A: El equivalente a 5 días de abono, lo vas a ver en la próxima factura. Te dejo el número de gestión: 77120.
C: ok eso está bien
A: Te aviso por este chat apenas la cuadrilla cierre el trabajo.
C: dale
A: [espera 25 min]
A: Sofía, la cuadrilla terminó. ¿Podés confirmarme si la luz de LOS se apagó?
C: sii ya tengo internet!! y anda más rápido que antes jaja
A: ¡Qué buena noticia! ¿Te puedo ayudar con algo más?
C: no, nada más. gracias mateo, te pasaste con el seguimiento 🙌
A: Gracias a vos por la paciencia. ¡Que tengas buena tarde!
"""),
    ("es-004", "banco-andino", "ag-201", "cobranzas", "es", "call", """
A: banco andino, área de cobranzas, le habla lucía, ¿con quién tengo el gusto?
C: mire señorita, es la tercera vez que llamo por lo mismo y cada vez me dicen algo distinto, ya estoy harto
A: lo entiendo, y lamento que haya tenido que llamar tantas veces. voy a hacer lo posible para que esta sea la última. ¿me dice su nombre y su número de cédula?
C: andrés felipe rojas, cédula ochenta millones doscientos treinta y cuatro mil
A: gracias señor andrés. ¿me confirma su fecha de nacimiento?
C: tres de octubre del setenta y nueve
A: perfecto. veo que tiene tres cuotas atrasadas de la tarjeta. cuénteme qué le dijeron en las llamadas anteriores
C: la primera vez que me iban a llamar con una propuesta, nunca llamaron. la segunda que tenía que pagar todo de una, y no tengo esa plata, me quedé sin trabajo en marzo
A: entiendo, es una situación difícil. le cuento lo que sí le puedo ofrecer hoy: un convenio de pago a doce cuotas sin intereses de mora, con la primera cuota el día quince
C: ¿sin intereses? ¿y eso quién me lo garantiza? porque ya me prometieron cosas
A: se lo dejo firmado en esta llamada, le llega el convenio al correo en cinco minutos y queda registrado con el número diez tres nueve cuatro
C: ¿y cuánto sería la cuota?
A: ochenta y cinco mil pesos al mes
C: eso sí lo puedo pagar. ¿y dejan de llamarme todos los días?
A: sí, con el convenio activo se suspenden las llamadas de cobranza
C: [silencio 5s] uf, qué alivio, de verdad
A: ya le envié el correo, ¿me confirma si le llegó?
C: sí, aquí está. mire, le agradezco muchísimo, usted es la primera que me soluciona algo
A: gracias a usted, señor andrés, por su paciencia. cualquier cosa nos llama y cita el número del convenio
C: listo, muchas gracias, que esté muy bien
"""),
    ("es-005", "energia-norte", "ag-101", "reclamos", "es", "call", """
A: energía norte buenas tardes, le atiende carla, ¿en qué le puedo servir?
C: buenas tardes, oiga, me llegó el recibo de luz por tres mil doscientos pesos y yo siempre pago como novecientos
A: entiendo su preocupación, vamos a revisarlo. ¿me da su número de servicio?
C: sí, es el cero cuatro cinco uno uno dos siete ocho
A: ¿y el nombre del titular?
C: guadalupe hernández
A: gracias señora guadalupe. déjeme ver [silencio 20s] veo que este bimestre la lectura del medidor fue estimada, no real, porque no pudieron entrar al domicilio
C: ¿cómo que no pudieron entrar? el medidor está afuera, en la banqueta
A: tiene razón, lo veo en la foto del sistema. lamentablemente para corregir una lectura estimada el proceso pide una inspección en sitio
C: ¿y mientras tanto tengo que pagar los tres mil doscientos?
A: no, le voy a dejar el recibo en aclaración para que no le generen recargos ni corte mientras se resuelve
C: bueno, algo es algo. ¿y cuándo va la inspección?
A: el plazo es de diez días hábiles, le llega un mensaje con la fecha
C: diez días hábiles, ¿y ahorita no se puede hacer nada más?
A: de verdad lo siento, no tengo forma de adelantar la inspección desde aquí, es el procedimiento para lecturas estimadas
C: ya veo
A: su folio de aclaración es el tres cinco cero uno nueve. ¿le puedo ayudar en algo más?
C: no, bueno gracias, supongo que tendré que esperar los diez días
A: con gusto, que tenga buena tarde
"""),
    ("es-006", "banco-andino", "ag-102", "atencion-general", "es", "call", """
A: banco andino buenos días, le habla mateo, ¿en qué le puedo ayudar?
C: buenos días, quería cambiar la fecha de pago de mi tarjeta
A: claro que sí. para validar su identidad, ¿me indica su número de dni?
C: cuatro uno siete cero dos nueve ocho seis
A: gracias. ¿me confirma los últimos cuatro dígitos de la tarjeta?
C: cinco cinco dos uno
A: perfecto, señor luis. actualmente su fecha de pago es el día cinco. ¿qué fecha le acomoda más?
C: el veinte, porque cobro a mediados de mes
A: muy bien. le comento que el cambio se aplica desde el próximo ciclo, este mes todavía vence el cinco
C: ok, no hay problema
A: listo, ya quedó registrado el cambio al día veinte. le llega la confirmación por correo
C: perfecto. ¿y eso tiene algún costo?
A: no, el cambio de fecha es sin costo una vez al año
C: ah bien, eso era todo
A: gracias por llamar a banco andino, que tenga buen día
C: igualmente, hasta luego
"""),
    ("es-007", "banco-andino", "ag-201", "reclamos", "es", "chat", """
C: hola!! urgente porfa, estoy en madrid de viaje y me bloquearon la tarjeta, no puedo pagar el hotel 😰
A: Hola, soy Lucía de Banco Andino. Tranquila, te ayudo ahora mismo. ¿Me confirmas tu número de DNI y tu fecha de nacimiento?
C: 45.602.331, 20 de julio del 90
A: Gracias, Valeria. Veo que la tarjeta se bloqueó por seguridad ayer a las 23 h, por un intento de compra en una web de otro país. ¿Reconoces una compra de 890 euros en una tienda de electrónica?
C: noo!! esa no es mía. me da miedo q me hayan vaciado la cuenta
A: Esa compra fue rechazada, no salió ni un centavo de tu cuenta. El bloqueo justamente te protegió 🙂
C: uf menos mal
A: Lo que voy a hacer: dejo esta tarjeta cancelada porque sus datos están comprometidos, y te activo ya la tarjeta digital en la app para que pagues el hotel hoy mismo.
C: y el plastico? vuelvo en 10 dias
A: Te envío una tarjeta física de emergencia a tu hotel en Madrid, sin costo. Llega en 48 horas. ¿Me pasas la dirección del hotel?
C: en serio pueden hacer eso??
A: Sí 😊 Solo necesito la dirección y el nombre con el que te registraste.
C: Hotel Atocha, calle de Atocha 83, a nombre de Valeria Quispe
A: Listo, enviada. La tarjeta digital ya está activa, pruébala en la app.
C: [pausa 2 min]
C: ya pagué el hotel!!! no lo puedo creer, pensé que se me arruinaba el viaje
A: ¡Qué alegría! Disfruta mucho Madrid. El número de gestión es 66104 por si lo necesitas.
C: muchísimas gracias lucía, de verdad sos lo más, voy a contar esto a todos 🙏
A: Gracias a ti, Valeria. ¡Buen viaje!
"""),
    ("es-008", "telco-sur", "ag-202", "retencion", "es", "call", """
A: telco sur retención, habla diego
C: hola, quiero dar de baja la línea, me subieron el plan dos veces este año
A: ¿dni?
C: veintinueve millones ochocientos treinta mil ciento doce
A: ¿domicilio de facturación?
C: avenida colón cuatrocientos veinte, córdoba
A: bueno, para la baja le tengo que ofrecer un plan, tenemos uno de
C: no, no quiero otro plan, ya me ofrecieron planes, quiero la baja
A: déjeme terminar, señor. tenemos uno de quince gigas por
C: no me interesa, gracias, ¿me da la baja por favor?
A: [hold 5 min]
C: ¿hola?
A: sí, el sistema está lento. la baja por teléfono no se puede, tiene que ir a una sucursal o hacerla por la web, pero la web a veces no anda
C: ¿y por qué me pasaron con retención si no se puede por teléfono?
A: eso no es mi área, yo solo veo retención
C: bárbaro, media hora al teléfono para que me digas que vaya a una sucursal, un lujo
A: y si no va antes del cierre del ciclo le sale el mes completo, eso está en el contrato
C: nadie me dijo eso cuando contraté
A: es política de la empresa, señor
C: bueno, voy a hacer la denuncia en defensa del consumidor, esto es una vergüenza
A: ¿algo más?
C: no, nada más
"""),
    ("es-009", "energia-norte", "ag-102", "soporte-tecnico", "es", "call", """
A: energía norte, le atiende mateo, ¿en qué puedo ayudarle?
C: oiga, estamos sin luz desde hace cuatro horas en la colonia y mi mamá usa un concentrador de oxígeno, estoy muy asustada
A: entiendo, señora, vamos a atenderlo como prioridad. ¿me dice su número de servicio o la dirección?
C: calle juárez ciento doce, colonia del valle, está a nombre de maría elena torres
A: gracias. ¿y su nombre?
C: patricia torres, soy la hija
A: gracias patricia. ¿su mamá está registrada como usuaria con equipo médico?
C: no sé, creo que no, nunca nadie nos dijo eso
A: no se preocupe, la registro ahora mismo [silencio 10s] listo. el corte es por una falla en un transformador de la zona, por tormenta
C: ¿y cuánto va a tardar? el concentrador tiene batería como para dos horas más
A: ya escalé su domicilio como prioridad médica. la cuadrilla está en la zona y el tiempo estimado es de una hora. si la batería baja antes, me llama a este número directo y le mandamos una planta
C: ¿de verdad pueden mandar una planta?
A: sí, para usuarios con equipo médico tenemos ese servicio. le dejo el número de reporte, dos dos nueve uno cero
C: ay, qué tranquilidad me da, gracias
A: permítame un momento en línea, voy a confirmar con la cuadrilla por radio
C: sí, claro, aquí espero
A: [hold 3 min]
A: patricia, gracias por esperar. la cuadrilla ya cambió el fusible del transformador, ¿le volvió la luz?
C: a ver [silencio 5s] ¡sí! ya volvió, el concentrador ya está cargando. muchísimas gracias, de verdad, no sabe lo que significa para nosotras
A: me alegra muchísimo. saludos a su mamá
C: gracias mateo, dios lo bendiga
"""),
    ("es-010", "telco-sur", "ag-101", "reclamos", "es", "chat", """
C: buenas. con todo respeto, es la cuarta área a la que me derivan por el mismo cobro y nadie me lo soluciona
A: Hola, soy Carla de Telco Sur. Lamento mucho las derivaciones, voy a intentar resolverlo desde acá. ¿Me pasás tu RUT?
C: 15.332.908-4
A: Gracias, Cristián. ¿Qué cobro es el que no reconoces?
C: un paquete de roaming de 19.990 que nunca activé, no he salido de santiago po
A: Lo veo: se activó el 3 de este mes desde un SMS de promoción. Entiendo que no lo pediste.
C: no, nunca respondí ningún sms
A: Te creo. El problema es que los cargos de roaming solo los puede anular el área de facturación internacional, yo puedo dejar el reclamo con toda la información para que no tengas que repetir nada.
C: o sea otra derivación
A: Sí, lamentablemente es el proceso para roaming. Ya dejé el reclamo 10551 con prioridad y la nota de que no reconoces el paquete. Te responden en 5 días hábiles por correo.
C: y mientras tanto me lo cobran?
A: El cargo queda en disputa, no te lo pueden cortar ni cobrar recargos mientras se revisa.
C: ya
A: ¿Te puedo ayudar con algo más?
C: no, ok gracias igual, veremos si esta vez sí lo arreglan
A: Gracias por escribirnos, Cristián. Que tengas buen día.
"""),
    ("es-011", "banco-andino", "ag-201", "cobranzas", "es", "call", """
A: buenas tardes, le habla lucía del banco andino, ¿me comunico con la señora carmen flores?
C: sí, soy yo
A: señora carmen, para darle la información necesito validar su identidad, ¿me confirma su número de dni?
C: cero ocho cuatro cuatro uno dos seis siete
A: gracias. ¿y su fecha de nacimiento?
C: once de mayo del sesenta y dos. ¿pasó algo?
A: la llamo por el préstamo personal, tiene dos cuotas vencidas y quería ver con usted cómo podemos regularizarlo
C: ay sí, lo sé, señorita. me da mucho miedo, me dijeron que me iban a embargar la cuenta donde cobro la pensión
A: entiendo su preocupación. quédese tranquila, con dos cuotas no hay ningún embargo en proceso. por eso la llamo, para buscar juntas una solución antes
C: es que con la pensión no me alcanza para pagar las dos de golpe
A: claro. le puedo ofrecer reprogramar las dos cuotas vencidas al final del préstamo, y desde el próximo mes sigue pagando solo la cuota normal de ciento veinte soles
C: ¿o sea que no tengo que pagar las dos ahora?
A: exacto, se pasan al final. no tiene costo de reprogramación
C: [silencio 4s] ay señorita, no sabe el peso que me saca de encima
A: me alegra. ¿le parece bien que lo deje registrado?
C: sí, sí, por favor
A: listo, quedó registrado con el número siete siete tres uno cinco. le llega el detalle por mensaje al celular
C: muchísimas gracias, hija, de verdad, estaba sin dormir con esto
A: gracias a usted, señora carmen, que tenga buena tarde
"""),
    ("es-012", "banco-andino", "ag-202", "cobranzas", "es", "call", """
A: buenos días, llamo del banco andino por una deuda pendiente, ¿hablo con el señor jorge ramírez?
C: sí, soy yo
A: dígame su dni
C: cuatro dos nueve uno uno cero tres tres
A: tiene una deuda de dos mil cuatrocientos soles con la tarjeta, ¿cuándo va a pagar?
C: mire, yo firmé un convenio el mes pasado y estoy pagando las cuotas, pagué la primera el quince
A: acá no figura ningún convenio
C: ¿cómo que no? tengo el correo de confirmación, se lo puedo reenviar
A: no, por correo no, eso no es mi área, yo solo veo la mora
C: pero entonces ¿con quién hablo para que lo vean?
A: ya le dije, señor, si no figura no existe. si no paga el total esta semana pasa a cobranza judicial
C: ¿me está amenazando? pagué lo que acordé con ustedes
A: no lo amenazo, le informo. usted debería haber guardado el número de convenio
C: lo tengo, es el cuatro cuatro ocho dos uno
A: [hold 3 min]
A: el sistema no me deja ver convenios, tiene que ir a una sucursal
C: increíble, me llaman ustedes para cobrarme algo que ya estoy pagando y encima tengo que ir yo a la sucursal
A: es el procedimiento. ¿va a pagar o no?
C: no voy a pagar dos veces lo mismo. voy a ir a la sucursal y voy a poner un reclamo por este trato
A: bueno, buenos días
"""),
    ("es-013", "telco-sur", "ag-102", "soporte-tecnico", "es", "chat", """
C: hola, compre un celular con ustedes hace 10 dias y ya no carga, se apaga solo 😞
A: ¡Hola! Soy Mateo de Telco Sur, qué mala experiencia con un equipo nuevo, lo solucionamos. ¿Me pasás tu DNI y el número de línea?
C: dni 37.902.114, linea 11 5932 4410
A: Gracias, Julieta. ¿Probaste con otro cargador y otro enchufe?
C: si, con tres cargadores distintos. nada
A: Perfecto, entonces es falla del equipo. Como tiene menos de 30 días, no va a servicio técnico: te lo cambiamos por uno nuevo.
C: ah buenisimo, tengo que ir a una sucursal?
A: No hace falta. Te mandamos el equipo nuevo a tu casa y el mismo cadete se lleva el fallado. ¿La dirección sigue siendo Av. Rivadavia 5120?
C: si esa
A: Listo, sale mañana y llega entre 9 y 13 hs. Te llega un mail con el seguimiento.
C: y los datos del celu? tengo todas las fotos de mi hija ahí 😟
A: Buena pregunta. Si activás la copia de seguridad antes de mañana se pasan todas al nuevo. Te mando el paso a paso.
A: Ajustes > Cuenta > Copia de seguridad > Copiar ahora. Con wifi tarda unos minutos.
C: listo ya la hice, me dice copia completa
A: ¡Genial! Entonces no perdés nada.
C: gracias mateo!! super rapido todo, re contenta 😊
A: ¡Gracias a vos, Julieta! Cualquier cosa escribinos por acá.
"""),
    ("es-014", "energia-norte", "ag-201", "atencion-general", "es", "call", """
A: energía norte, buenos días, le atiende lucía, ¿en qué le puedo ayudar?
C: buenos días, me acabo de mudar y quería poner el servicio a mi nombre
A: con gusto. ¿me indica la dirección del domicilio?
C: privada los pinos número ocho, colonia centro
A: gracias. ¿su nombre completo y su curp?
C: roberto salinas aguilar, curp s a a r ocho cinco cero tres uno dos h d f
A: perfecto. para el cambio de titular necesito su identificación oficial y el contrato de arrendamiento o escrituras
C: tengo el contrato de arrendamiento, ¿se lo mando por correo?
A: sí, al correo cambios arroba energianorte punto mx, con el número de servicio en el asunto
C: ¿y cuál es el número de servicio?
A: es el cero nueve dos ocho uno cinco cuatro cero
C: ok, lo anoto. ¿cuánto tarda el cambio?
A: tres días hábiles después de recibir los documentos. el servicio no se corta durante el trámite
C: perfecto, ahorita se los mando
A: muy bien, ¿le puedo ayudar en algo más?
C: no, eso es todo, gracias
A: gracias a usted, que tenga buen día
"""),
    ("es-015", "telco-sur", "ag-101", "retencion", "es", "call", """
A: telco sur, buenas tardes, te habla carla, ¿en qué te puedo ayudar?
C: hola carla, mirá, quiero dar de baja el servicio, la verdad está muy caro y en otra empresa me ofrecen lo mismo por menos
A: entiendo, gracias por decírmelo directamente. ¿me pasás tu dni así veo tu cuenta?
C: sí, treinta y cinco millones cien mil doscientos
A: gracias, ana. veo que sos clienta hace ocho años y que estás pagando un plan viejo que ya no se vende, por eso te sale tan caro
C: ¿o sea que estuve pagando de más todo este tiempo? qué bronca
A: tenés razón en estar molesta, lo tendríamos que haber revisado antes. te propongo pasarte al plan actual de fibra de trescientos megas, que cuesta un cuarenta por ciento menos que lo que pagás hoy
C: ¿en serio? ¿y qué pierdo?
A: nada, al contrario, pasás de cien a trescientos megas y mantenés la línea fija. sin costo de cambio y sin permanencia
C: ¿sin permanencia? mirá que si me subís el precio en dos meses me voy igual
A: te lo dejo por escrito: el precio queda fijo doce meses. y por los ocho años con nosotros te bonifico el primer mes completo
C: [silencio 3s] bueno, eso no me lo esperaba
A: ¿te lo activo?
C: sí, dale, activalo
A: listo, ya está. esta noche se aplica la nueva velocidad
C: carla, te juro que llamé para darme de baja y me voy contenta, es la primera vez que me pasa
A: me alegra un montón, ana. gracias por tantos años con nosotros
C: gracias a vos, de verdad, un genio, chau
"""),
    ("es-016", "banco-andino", "ag-202", "reclamos", "es", "chat", """
C: hola, ¿cuántas veces más tengo que mandar el mismo documento? ya mandé la constancia de ingresos tres veces para el crédito
A: Buenos días, le saluda Diego del Banco Andino. ¿Me indica su número de cédula?
C: 1.020.445.876
A: Gracias. Su solicitud figura con documentación incompleta.
C: ¿incompleta qué? mandé todo lo que pidieron en la lista
A: El sistema indica documentación incompleta. Debe enviar la documentación requerida.
C: ¿y cuál es la que falta? porque eso no me dice nada
A: [espera 6 min]
A: Falta la constancia de ingresos con firma digital, la que envió no tiene firma digital.
C: nadie me dijo que tenía que tener firma digital, la lista dice constancia de ingresos y ya
A: Es un requisito del área de riesgos, yo no manejo la lista.
C: ¿y dónde saco eso con firma digital?
A: Lo tiene que pedir a su empleador.
C: mi empleador tarda una semana en eso. ¿se pierde la solicitud?
A: La solicitud queda abierta 30 días.
C: bueno, gracias, supongo que toca esperar otra semana y mandarla por cuarta vez
A: ¿Algo más en que pueda ayudarle?
C: no
"""),
    ("es-017", "energia-norte", "ag-202", "reclamos", "es", "call", """
A: energía norte, le atiende diego
C: sí, mire, ya es la tercera vez que llamo por el mismo corte, la semana pasada me colgaron dos veces y nadie me devolvió la llamada
A: ¿número de servicio?
C: cero cuatro cuatro siete dos dos uno nueve. llevo seis días con cortes de luz todas las noches
A: ¿nombre del titular?
C: josé luis méndez. oiga, ¿me escuchó lo de los seis días?
A: sí señor, ahorita lo veo. ¿ya revisó su pastilla?
C: qué bien, seis días sin luz y la solución es que revise la pastilla, genial, muy útil
A: es lo primero que hay que descartar
C: sí la revisé, y al vecino le pasa lo mismo, es la calle completa
A: bueno, pues si es la calle no es de aquí, eso lo ve el área de redes
C: ¿y me pasa con redes?
A: no tengo transferencia a redes, tiene que
C: ¿entonces para qué me contestan? ¿quién me va a solucionar esto?
A: déjeme terminar. tiene que levantar el reporte en la página
C: ya lo levanté dos veces en la página
A: pues entonces hay que esperar a que lo atiendan
C: con todo respeto, esto es una burla. van seis días
A: le dejo nota en su cuenta. ¿algo más?
C: no, nada, gracias por nada
"""),
    ("es-018", "banco-andino", "ag-102", "atencion-general", "es", "chat", """
C: hola, estuve 50 minutos en la fila del chat, ya me iba. necesito saber por qué no me llega una transferencia de mi hermano
A: Hola, soy Mateo del Banco Andino. Tienes toda la razón, hoy la espera está muy larga y lo siento mucho. Voy a ser rápido. ¿Me das tu cédula?
C: 52.771.093
A: Gracias, Paola. ¿La transferencia es de otro banco o del Banco Andino?
C: de otro banco, me la mandó ayer a las 6 de la tarde, 400 mil pesos
A: Las transferencias de otros bancos después de las 3 pm se procesan al día siguiente hábil, hoy a las 11 am.
C: pero ya son las 12 y nada
A: Déjame revisar el lote de hoy [espera 2 min] Encontré la transferencia: está retenida porque el nombre no coincide del todo, tu hermano puso Paula en vez de Paola.
C: jajaja no puede ser, siempre me escribe mal el nombre
A: 😄 Ya la validé manualmente con tu número de cuenta, que sí coincide. Se acredita en unos minutos.
C: [pausa 3 min]
C: ya me llegó!! perfecto
A: ¡Excelente! ¿Algo más en lo que te pueda ayudar?
C: no, nada más. la espera fue eterna pero tú lo resolviste en 5 min, muchas gracias de verdad
A: Gracias a ti por la paciencia, Paola. ¡Que tengas buen día!
"""),
    ("en-001", "northwind-bank", "ag-301", "billing-support", "en", "call", """
A: thank you for calling northwind bank, my name is sarah, how can I help you today?
C: yeah hi, I'm honestly really frustrated, you charged me twice for my car insurance payment and now my checking is overdrawn
A: I'm so sorry, that's a stressful thing to find. let's get it fixed. can you confirm your full name and date of birth?
C: james carter, april ninth nineteen eighty one
A: thank you james. and the last four of your social?
C: two two four eight
A: perfect, I have your account. I see two payments of three hundred twelve forty on the fourteenth
C: right, and then you hit me with a thirty five dollar overdraft fee on top of it
A: you're right, and that shouldn't have happened. the second payment was a duplicate from our bill pay system. let me check something [silence 15s] okay, I've reversed the duplicate payment and the overdraft fee
C: wait, both of them?
A: both. the money is back in your checking right now, you should see a balance of about four hundred and sixty
C: hang on [silence 10s] oh wow, yeah, it's there
A: I've also flagged the bill pay so it can't send the same payment twice
C: okay that's great, I was expecting a two week investigation
A: not for our own mistake. is there anything else I can help with?
C: no, that's it. thank you so much sarah, you really turned my day around
A: you're very welcome james, have a great afternoon
"""),
    ("en-002", "northwind-bank", "ag-302", "billing-support", "en", "call", """
A: northwind bank, this is mike
C: hi, I'm calling about a monthly maintenance fee, I was told it would be waived with direct deposit
A: account number
C: it's four four eight two one nine three zero
A: and your zip code
C: six oh six one four. so I have direct deposit since january but I'm still getting charged twelve dollars every month
A: fee waivers are handled by the account services team, that's not my department
C: okay, can you transfer me?
A: [hold 6 min]
A: yeah, so their line is closed right now, you'll have to call back tomorrow
C: I've been on the phone for twenty minutes, can't you just look at it?
A: I told you, I don't have access to that
C: then why did the menu send me to you?
A: I don't know ma'am, I don't design the menu
C: wow, okay. can you at least note that I called?
A: I can put a note but it won't change anything
C: great, thanks, really helpful
A: anything else?
C: no. ok, thanks anyway, I guess I'll call again tomorrow
"""),
    ("en-003", "northwind-bank", "ag-301", "billing-support", "en", "chat", """
C: oh great, the app is down AGAIN, love paying my rent on a deadline with an app that doesn't open 🙃
A: Hi, I'm Sarah from Northwind Bank. I'm sorry, that's terrible timing. We do have an app outage since this morning. Can I help you make the payment another way?
C: I guess. what do u need
A: Could you confirm your full name and the last four digits of your card?
C: Emily Zhang, 7731
A: Thanks Emily. The website is also affected, but I can send the rent payment from here if you give me the payee details.
C: its a new payee, my landlord, I have his account and routing
A: Unfortunately for new payees our policy requires adding them in the app or website first, for fraud protection. I can't add them in chat.
C: so the one thing I need, u can't do
A: I understand, and I'm sorry. The engineers expect the app back by 6 pm. Another option is a branch, they can send it today.
C: I work until 7 thats not an option
A: I've added a note and a request to waive any late fee your landlord's bank might charge, if you send us the receipt we'll reimburse it.
C: fine
A: Is there anything else I can help with?
C: no. thanks I guess, still can't pay my rent though
A: I'm sorry Emily. I'll send you a message as soon as the app is back up.
"""),
    ("en-004", "northwind-bank", "ag-302", "collections", "en", "call", """
A: northwind bank collections, this is mike, who am I speaking with?
C: this is the third time I'm calling about this and every time I get a different answer, so I hope you actually know something
A: I'm sorry you've had to call three times, let's make this the last one. can I get your name and date of birth?
C: denise walker, february second nineteen seventy five
A: thank you denise. and the last four of your social?
C: nine one zero six
A: got it. I see a personal loan two payments behind and notes from two earlier calls. what were you told?
C: first they said I'd get a hardship form in the mail, never came. then someone said I had to pay the full amount, eight hundred dollars, by friday
A: I see it, and the hardship form was never sent, that's on us. I can enroll you in the hardship program right now on this call, no form needed
C: and what does that mean
A: the two missed payments move to the end of the loan, no late fees, and your payment drops to one twenty five for six months
C: one twenty five? I can do that. and this doesn't go on my credit report?
A: while you're in the program the account reports as current
C: [silence 4s] okay. okay wow. I've been losing sleep over this
A: I understand. it's done, the confirmation number is five five zero eight nine and you'll get an email in a few minutes
C: got it. thank you so much mike, seriously, you're the first person who actually fixed it
A: thank you for sticking with us denise, take care
"""),
    ("en-005", "northwind-bank", "ag-301", "retention", "en", "call", """
A: thank you for calling northwind bank, this is sarah, how can I help?
C: hi, I just moved and I need to update my address, and I'd like to set up autopay for my credit card
A: sure, I can do both. can I have your full name and date of birth?
C: kevin o'brien, september fifth nineteen ninety
A: thanks kevin. and the zip code on file, the old one?
C: nine eight one oh three
A: perfect. what's the new address?
C: twelve fifty pine street apartment four b, portland oregon, nine seven two oh five
A: got it, I've updated it. your new cards and statements will go there. now for autopay, would you like the full balance or the minimum payment?
C: full balance, from my checking
A: okay, full balance from checking ending in three three one oh, on the due date each month. it starts next cycle
C: sounds good. is there a fee for that?
A: no, autopay is free
C: great, that's all I needed
A: you're all set. anything else today?
C: nope, thanks, bye
A: thanks for calling, have a good one
"""),
    ("en-006", "northwind-bank", "ag-302", "billing-support", "en", "chat", """
C: hi, my replacement debit card was supposed to arrive a week ago and still nothing. I leave for my wedding on saturday 😟
A: Hi, I'm Mike from Northwind Bank, and congratulations on the wedding! Let's make sure you have a card. Can you confirm your name and date of birth?
C: Priya Nair, 11/23/1993
A: Thanks Priya. I see the card was returned to us by the post office as undeliverable, the address was missing the apartment number.
C: ugh, I updated that months ago
A: You did, I can see it, it just didn't get copied to the card order. That's our error, sorry about that.
C: ok so what now, saturday is in 3 days
A: I'm sending a new card by overnight courier, no fee, to the right address with apartment 12C. It'll be there tomorrow by 10 am.
C: really?? overnight?
A: Yes 🙂 And you can add the card to your phone wallet right now so you can use it even before it arrives.
C: omg ok doing that now
C: [pause 2 min]
C: it's in my wallet and it works!!
A: Perfect! I also added a travel notice so nothing gets blocked on your honeymoon. Where are you going?
C: portugal! thank u so much mike, u made my week 🙏
A: Have an amazing wedding and an amazing trip, Priya!
"""),
    ("en-007", "northwind-bank", "ag-301", "collections", "en", "call", """
A: northwind bank, this is sarah, how can I help you?
C: hi, I got a letter saying my credit card payment is late and I'm really worried, I'm applying for a mortgage next month
A: I understand, let's look at it together. can I have your name and the last four of your social?
C: luis romero, four four one seven
A: thank you luis. and your date of birth?
C: june thirtieth nineteen eighty eight
A: thanks. I see the payment was due on the third and it came in on the seventh, so there's a thirty nine dollar late fee
C: I know, I was in the hospital that week. can you remove it? and will it show up on my credit?
A: first, the good news: payments less than thirty days late aren't reported to the credit bureaus, so your credit is fine
C: okay, that's a relief at least
A: on the fee, I'm so sorry, our policy only allows one courtesy waiver a year and one was used in march
C: that was a different situation, I was in the hospital
A: I hear you, and I tried to request an exception [silence 20s] the system doesn't let me override it. you could send a hospital letter to the disputes team and they'll review it
C: so I still have to pay the thirty nine dollars for now
A: for now yes, I'm sorry. I've put a note on your account about the hospital stay
C: okay, thanks, I guess I'll send the letter and see
A: thank you luis, take care
"""),
    ("en-008", "northwind-bank", "ag-302", "billing-support", "en", "call", """
A: northwind bank billing, this is mike
C: hi mike. I don't mean to be rude, but I've been transferred four times in the last hour and I'm about to lose it
A: I'm really sorry, that's way too many. I'll stay with you until this is done. what's your name and account number?
C: grace kim, account ending in five five two one
A: and your date of birth, grace?
C: march fifteenth nineteen eighty four
A: thanks. what's going on with the account?
C: I closed my savings account in june and you're still charging me a five dollar fee every month
A: I see it. the savings was closed but the fee plan stayed attached to your profile. that's a process error on our side
C: so why did four people send me somewhere else
A: honestly, because fee plans sit with a different team, but I can fix this one from here. give me a moment [silence 20s] done, the fee plan is removed and I've refunded all four months, twenty dollars
C: oh. okay. that was easy
A: it should have been easy the first time. I'm sorry about the transfers
C: thank you mike, really, you fixed in five minutes what took me an hour
A: glad I could help grace, have a good evening
"""),
    ("en-009", "northwind-bank", "ag-301", "billing-support", "en", "chat", """
C: my account is LOCKED and I have a text saying there was suspicious activity. is this real? i'm freaking out
A: Hi, I'm Sarah from Northwind Bank. Yes, that text was from us, and your money is safe. Can you confirm your full name and date of birth?
C: Marcus Bell, 02/14/1987
A: Thank you Marcus. Last question for security: what's the amount of your last direct deposit?
C: 2,140 something, from my job
A: That's right, thank you. We locked the account after two login attempts from another country at 3 am. Was that you?
C: no!! i was asleep
A: Then the lock did its job, nobody got in and no money moved.
C: ok phew
A: I'm going to reset your online password and unlock the account. You'll get a code by text, can you read it to me?
C: 448 291
A: Verified. Your account is unlocked, please set a new password in the app now.
C: done, i'm in. everything looks normal
A: Great. I also turned on login alerts so you'll know right away if anyone tries again.
C: thank u so much, i was really scared, u were super clear
A: You're welcome Marcus, have a good night!
"""),
]

MARKER = re.compile(r"\[([^\]]*)\]")
MARKER_DUR = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hora|horas|hours?|min|mins|minutos?|minutes?|s|seg|segundos?|sec|seconds?)\b")
PUNCT = re.compile(r"[¿¡?!.,;:]")


def marker_seconds(text):
    total = 0.0
    for m in MARKER.finditer(text):
        d = MARKER_DUR.search(m.group(1))
        if not d:
            continue
        n = float(d.group(1).replace(",", "."))
        unit = d.group(2)
        total += n * (3600 if unit.startswith("h") else 60 if unit.startswith("min") else 1)
    return total


def asr(text):
    """Lowercase and drop punctuation outside [markers], the way a call transcript reads."""
    out, pos = [], 0
    for m in MARKER.finditer(text):
        out.append(PUNCT.sub("", text[pos:m.start()]).lower())
        out.append(m.group(0))
        pos = m.end()
    out.append(PUNCT.sub("", text[pos:]).lower())
    return re.sub(r"\s+", " ", "".join(out)).strip()


def build(conv):
    cid, tenant, agent, campaign, lang, channel, script = conv
    rng = random.Random(cid)
    turns = []
    t = round(rng.uniform(0.5, 2.0), 1)
    for raw in script.strip().splitlines():
        who, text = raw.split(":", 1)
        speaker = {"A": "agent", "C": "customer"}[who.strip()]
        text = text.strip()
        if channel == "call":
            text = asr(text)
        speech = MARKER.sub(" ", text).split()
        wait = marker_seconds(text)
        if channel == "call":
            dur = len(speech) / rng.uniform(2.3, 2.9) + wait + (0.3 if speech else 0)
            gap = rng.uniform(0.2, 1.4)
        else:  # typing time, then the other side reads and answers
            dur = len(speech) * (rng.uniform(0.35, 0.5) if speaker == "agent" else rng.uniform(0.5, 0.9)) + wait
            gap = rng.uniform(4, 25)
        start = t
        end = start + max(dur, 0.6)
        turns.append({"speaker": speaker, "start_s": round(start, 1), "end_s": round(end, 1), "text": text})
        t = end + gap
    return {
        "conversation_id": cid, "tenant": tenant, "agent_id": agent, "team_id": AGENTS[agent],
        "campaign": campaign, "language": lang, "channel": channel, "turns": turns,
    }


def validate(path):
    errors = []
    required = ["conversation_id", "tenant", "agent_id", "team_id", "campaign", "language", "channel", "turns"]
    ids = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            c = json.loads(line)
            where = f"line {n}"
            if [k for k in required if k not in c]:
                errors.append(f"{where}: missing fields")
                continue
            where = c["conversation_id"]
            if where in ids:
                errors.append(f"{where}: duplicate id")
            ids.add(where)
            if c["language"] not in ("es", "en") or c["channel"] not in ("call", "chat"):
                errors.append(f"{where}: bad language/channel")
            if not 8 <= len(c["turns"]) <= 25:
                errors.append(f"{where}: {len(c['turns'])} turns")
            prev_end = -1.0
            for i, t in enumerate(c["turns"]):
                if set(t) != {"speaker", "start_s", "end_s", "text"} or t["speaker"] not in ("agent", "customer"):
                    errors.append(f"{where} turn {i}: bad turn")
                if not (t["start_s"] < t["end_s"] and t["start_s"] >= prev_end) or not t["text"].strip():
                    errors.append(f"{where} turn {i}: bad timing or empty text")
                prev_end = t["end_s"]
    return ids, errors


def main():
    path = os.path.join(HERE, "conversations.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for conv in CONVERSATIONS:
            f.write(json.dumps(build(conv), ensure_ascii=False) + "\n")
    ids, errors = validate(path)
    n_es = sum(c[4] == "es" for c in CONVERSATIONS)
    print(f"{len(ids)} conversations ({n_es} es, {len(ids) - n_es} en), "
          f"{sum(c[5] == 'call' for c in CONVERSATIONS)} calls, {sum(c[5] == 'chat' for c in CONVERSATIONS)} chats")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
