"""The floor of the stack: a bare ASGI application that answers every request with a small
JSON body, and nothing else (no Django, no database). `bench/stack_floor.py` sends it the same
burst as the floor storm's, so that what the server and the client cost by themselves on this
machine can be told apart from what the application costs (docs/performance.md).

    uvicorn bench.hello_asgi:app --host 127.0.0.1 --port 8130 --workers 2
"""

BODY = b'{"hello":"world"}'


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": BODY})
