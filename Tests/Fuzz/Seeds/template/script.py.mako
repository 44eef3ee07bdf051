"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
% if imports:
${imports}
% endif
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
<%
    x = 1
%>
% for r in down_revision:
# ${r}
% endfor
