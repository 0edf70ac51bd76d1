"""The Python peer of `python -m bench --peers`: Flask-Security-Too with token auth.

Set up as its documentation sets up an API (Flask-SQLAlchemy models fsqla_v3 on SQLite,
bcrypt at cost 10, tokens in the Authentication-Token header, no CSRF for the JSON API),
run under the same servers and workers as ours. It runs in its own virtualenv
(bench/peers.py makes it): nothing here is imported by the service or its tests.

POST /login {"email", "password"} ?include_auth_token -> the user and their token;
GET /api/account (Authentication-Token) -> the signed-in user, as JSON.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify
from flask_security import (
    Security,
    SQLAlchemyUserDatastore,
    auth_token_required,
    current_user,
    hash_password,
)
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["FST_SECRET_KEY"],
    SECURITY_PASSWORD_SALT=os.environ["FST_PASSWORD_SALT"],
    SECURITY_PASSWORD_HASH="bcrypt",
    SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS={"bcrypt__rounds": 10},
    SECURITY_TOKEN_MAX_AGE=24 * 60 * 60,
    WTF_CSRF_ENABLED=False,
    SQLALCHEMY_DATABASE_URI=os.environ["FST_DATABASE_URL"],
    SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
)
db = SQLAlchemy(app)
fsqla.FsModels.set_db_info(db)


class Role(db.Model, fsqla.FsRoleMixin):  # type: ignore[name-defined,misc]
    pass


class User(db.Model, fsqla.FsUserMixin):  # type: ignore[name-defined,misc]
    pass


security = Security(app, SQLAlchemyUserDatastore(db, User, Role))


@app.get("/api/account")
@auth_token_required
def account():
    user = current_user
    return jsonify(
        {
            "object": "account",
            "id": user.id,
            "email": user.email,
            "active": user.active,
            "createdAt": user.create_datetime.isoformat() if user.create_datetime else None,
        }
    )


def add_user(email: str, password: str) -> None:
    """`python -c 'from bench.fst_app import add_user; add_user(...)'`: the bench's user."""
    with app.app_context():
        db.create_all()
        security.datastore.create_user(email=email, password=hash_password(password))
        db.session.commit()
